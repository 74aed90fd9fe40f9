// Texts of the second sign-in step and the security page (twoStep.*), loaded by those pages only.
import { provideTexts } from "~/utils/i18n";
import { twoStepEn } from "./two-step.en";
import { twoStepVi } from "./two-step.vi";

provideTexts("twoStep", { vi: twoStepVi, en: twoStepEn });
