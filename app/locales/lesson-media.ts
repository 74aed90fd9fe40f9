// Texts of video, audio, captions and PDF attachments in lessons (lessonMedia.*): the media
// library on the lesson editor, upload errors, the lesson components' labels.
import { provideTexts } from "~/utils/i18n";
import { lessonMediaEn } from "./lesson-media.en";
import { lessonMediaVi } from "./lesson-media.vi";

provideTexts("lessonMedia", { vi: lessonMediaVi, en: lessonMediaEn });
