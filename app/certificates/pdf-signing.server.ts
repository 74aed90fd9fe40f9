// The certificate PDF's digital signature: a PAdES baseline signature (ETSI.CAdES.detached) made
// with the key and certificate of a PKCS#12 file, so that a PDF reader shows who issued the
// document and whether it was changed since. Without a configured identity PDFs stay unsigned.
import crypto, { type KeyObject } from "node:crypto";
import fs from "node:fs";
import forge from "node-forge";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SignPdf } from "@signpdf/signpdf";
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { env } from "~/platform/env.server";

/** Who signs, as read from the environment; null when no signing identity is configured. */
export type SigningIdentity = { subject: string; issuer: string; notAfter: Date; demo: boolean };

type Loaded = {
  identity: SigningIdentity;
  key: KeyObject;
  /** The signer's certificate first, then the rest of the chain found in the file. */
  chain: forge.pki.Certificate[];
  certificateDer: Buffer;
  issuer: forge.asn1.Asn1;
  serial: forge.asn1.Asn1;
  /** Bytes reserved in the PDF for the CMS signature. */
  signatureLength: number;
};

const DEMO_NAME = "Kỹ Năng Số - chứng thư số DEMO, không có giá trị pháp lý";
// ESS signing-certificate-v2 (RFC 5035), which PAdES baseline requires.
const OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";

const { asn1, pki } = forge;
const { Class, Type } = asn1;
const oid = (id: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(id).getBytes());
const sequence = (...items: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
const octets = (bytes: Buffer) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bytes.toString("binary"));
const attribute = (type: string, value: forge.asn1.Asn1) => sequence(oid(type), asn1.create(Class.UNIVERSAL, Type.SET, true, [value]));
const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), "binary");
// SHA-2 algorithm identifiers without parameters (RFC 5754); RSA with NULL (RFC 3370).
const SHA256 = sequence(oid(pki.oids.sha256));
const RSA = sequence(oid(pki.oids.rsaEncryption), asn1.create(Class.UNIVERSAL, Type.NULL, false, ""));

let loaded: { value: Loaded | null } | { error: Error } | undefined;

/** The configured identity, read and parsed on first use and kept for the life of the process. */
function load(): Loaded | null {
  if (!loaded) {
    try {
      loaded = { value: read() };
    } catch (error) {
      loaded = { error: error as Error };
    }
  }
  if ("error" in loaded) throw loaded.error;
  return loaded.value;
}

function read(): Loaded | null {
  const file = env.SIGNING_P12_FILE;
  if (!file) return null;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new Error(`SIGNING_P12_FILE: cannot read the PKCS#12 file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(bytes.toString("binary")), env.SIGNING_P12_PASSPHRASE ?? "");
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      /MAC could not be verified|Invalid password/i.test(message)
        ? `SIGNING_P12_PASSPHRASE does not open the PKCS#12 file named by SIGNING_P12_FILE (${file}): wrong passphrase`
        : `SIGNING_P12_FILE: cannot open ${file} as a PKCS#12 file with an RSA key (or SIGNING_P12_PASSPHRASE is wrong): ${message}`,
    );
  }
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const key = [...bags(pki.oids.pkcs8ShroudedKeyBag), ...bags(pki.oids.keyBag)].find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error(`SIGNING_P12_FILE: ${file} holds no private key`);
  const certificates = bags(pki.oids.certBag).flatMap((b) => (b.cert ? [b.cert] : []));
  const own = certificates.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.equals(key.n));
  if (!own) throw new Error(`SIGNING_P12_FILE: ${file} holds no certificate for its private key`);

  const certificateAsn1 = pki.certificateToAsn1(own);
  // The issuer and serial number exactly as encoded in the certificate (see cadesSignature).
  const tbs = certificateAsn1.value[0] as forge.asn1.Asn1;
  const fields = tbs.value as forge.asn1.Asn1[];
  const at = fields[0].tagClass === Class.CONTEXT_SPECIFIC ? 1 : 0; // explicit [0] version
  const chain = [own, ...certificates.filter((c) => c !== own)];
  const chainLength = chain.reduce((sum, c) => sum + asn1.toDer(pki.certificateToAsn1(c)).length(), 0);
  const common = own.subject.getField("CN") as { value: string; valueTagClass?: number } | null;
  return {
    identity: {
      subject: distinguishedName(own.subject.attributes),
      issuer: distinguishedName(own.issuer.attributes),
      notAfter: own.validity.notAfter,
      demo: common ? text(common) === DEMO_NAME : false,
    },
    key: crypto.createPrivateKey(pki.privateKeyToPem(key)),
    chain,
    certificateDer: der(certificateAsn1),
    serial: fields[at],
    issuer: fields[at + 2],
    // The chain plus room for two issuer names, the signed attributes and an RSA-4096 signature.
    signatureLength: chainLength + 4096,
  };
}

/** An attribute value as text: forge keeps UTF8String and BMPString values as raw bytes. */
function text(attribute: { value: string; valueTagClass?: number }): string {
  if (attribute.valueTagClass === Type.UTF8) return forge.util.decodeUtf8(attribute.value);
  if (attribute.valueTagClass === Type.BMPSTRING) return Buffer.from(attribute.value, "binary").swap16().toString("utf16le");
  return attribute.value;
}

function distinguishedName(attributes: forge.pki.CertificateField[]): string {
  return attributes.map((a) => `${a.shortName ?? a.type}=${text(a as { value: string; valueTagClass?: number })}`).join(", ");
}

/** The configured signer; throws, naming the variable, when the file cannot be read or opened. */
export function signingIdentity(): SigningIdentity | null {
  return load()?.identity ?? null;
}

/**
 * The CMS SignedData of a PAdES baseline signature over `content`: detached, SHA-256, with the
 * signed attributes contentType, messageDigest and signing-certificate-v2. PAdES (ETSI EN
 * 319 142-1) forbids the CMS signingTime attribute: the claimed time is the dictionary's /M.
 *
 * forge's pkcs7.addSigner() cannot carry signing-certificate-v2: its attribute encoder knows
 * only contentType, messageDigest and signingTime and writes any other with an empty value. It
 * also leaves the SET OF attributes unsorted (DER wants them sorted, and verifiers re-encode
 * before checking) and rebuilds the signer's issuer name from parsed fields, encoding UTF8String
 * values twice, which breaks the match with a Vietnamese CA's certificate. So the SignerInfo is
 * built here with forge.asn1, from the certificate's own issuer and serial bytes, and forge's
 * SignedData serialises it with the content type, digest algorithm and certificates: a SignedData
 * without signers is what sign() prepares, and toAsn1() writes the signerInfos and
 * digestAlgorithmIdentifiers it is given. Hashing and the RSA operation use node:crypto, many
 * times faster than forge's JavaScript RSA.
 */
function cadesSignature(identity: Loaded, content: Buffer): Buffer {
  const essCertId = sequence(
    // hashAlgorithm is omitted: SHA-256 is its DEFAULT.
    octets(crypto.createHash("sha256").update(identity.certificateDer).digest()),
    sequence(sequence(asn1.create(Class.CONTEXT_SPECIFIC, 4, true, [identity.issuer])), identity.serial),
  );
  const attributes = [
    attribute(pki.oids.contentType, oid(pki.oids.data)),
    attribute(pki.oids.messageDigest, octets(crypto.createHash("sha256").update(content).digest())),
    attribute(OID_SIGNING_CERTIFICATE_V2, sequence(sequence(essCertId))),
  ]
    .map((node) => ({ node, bytes: der(node) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((a) => a.node);
  // The signature covers the attributes encoded as a SET; the SignerInfo holds them as [0].
  const signed = crypto.sign("sha256", der(asn1.create(Class.UNIVERSAL, Type.SET, true, attributes)), identity.key);
  const signerInfo = sequence(
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
    sequence(identity.issuer, identity.serial),
    SHA256,
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, attributes),
    RSA,
    octets(signed),
  );

  const p7 = forge.pkcs7.createSignedData() as forge.pkcs7.PkcsSignedData & {
    digestAlgorithmIdentifiers: forge.asn1.Asn1[];
    signerInfos: forge.asn1.Asn1[];
  };
  for (const certificate of identity.chain) p7.addCertificate(certificate);
  p7.sign({ detached: true });
  p7.digestAlgorithmIdentifiers = [SHA256];
  p7.signerInfos = [signerInfo];
  return der(p7.toAsn1());
}

class CadesSigner extends Signer {
  constructor(private identity: Loaded) {
    super();
  }

  async sign(content: Buffer): Promise<Buffer> {
    return cadesSignature(this.identity, content);
  }
}

/** A PDF text string in hex: UTF-16BE with a byte order mark. */
function utf16Hex(value: string): string {
  return `<${Buffer.from(`\ufeff${value}`, "utf16le").swap16().toString("hex")}>`;
}

/** Signs a finished PDF (as pdfkit writes it) with a PAdES baseline signature; returns it unchanged when no identity is configured. */
export async function signPdf(pdf: Buffer, info: { reason: string; location: string; name: string; contactInfo?: string }): Promise<Buffer> {
  const identity = load();
  if (!identity) return pdf;
  // The signing time a reader shows is the dictionary's /M.
  const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
  // The placeholder writer passes UTF-16 strings through a UTF-8 conversion, which garbles
  // Vietnamese. Non-ASCII texts go in as ASCII stand-ins as long as their hex form, which then
  // replaces them in place: no offset in the cross-reference table moves.
  const texts = { Reason: info.reason, Location: info.location, Name: info.name, ContactInfo: info.contactInfo ?? "" };
  const standIn = (value: string) => (/^\p{ASCII}*$/u.test(value) ? value : "x".repeat(utf16Hex(value).length - 2));
  const prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: standIn(texts.Reason),
    location: standIn(texts.Location),
    name: standIn(texts.Name),
    contactInfo: standIn(texts.ContactInfo),
    signingTime,
    signatureLength: identity.signatureLength,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
  });
  for (const [key, value] of Object.entries(texts)) {
    if (standIn(value) === value) continue;
    const at = prepared.lastIndexOf(`/${key} (${standIn(value)})`);
    prepared.write(`/${key} ${utf16Hex(value)}`, at, "latin1");
  }
  return new SignPdf().sign(prepared, new CadesSigner(identity), signingTime);
}

/** Creates a self-signed demo identity (RSA 2048, SHA-256, 10 years) as a PKCS#12 file. */
export function createDemoSigningIdentity(file: string, passphrase: string, organisation: string): void {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey;
  const certificate = pki.createCertificate();
  certificate.publicKey = pki.setRsaPublicKey(key.n, key.e);
  // 16 random bytes, the first one keeping the INTEGER positive and minimally encoded.
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  certificate.serialNumber = serial.toString("hex");
  const now = new Date();
  certificate.validity.notBefore = now;
  certificate.validity.notAfter = new Date(now);
  certificate.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + 10);
  const name = [
    { shortName: "CN", value: DEMO_NAME, valueTagClass: Type.UTF8 },
    { shortName: "O", value: organisation, valueTagClass: Type.UTF8 },
    { shortName: "C", value: "VN" },
  ] as forge.pki.CertificateField[];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", critical: true, digitalSignature: true, nonRepudiation: true },
    { name: "subjectKeyIdentifier" },
  ]);
  certificate.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [certificate], passphrase, { algorithm: "aes256", generateLocalKeyId: true });
  fs.writeFileSync(file, Buffer.from(asn1.toDer(p12).getBytes(), "binary"), { mode: 0o600 });
}
