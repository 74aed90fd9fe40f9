// Texts of a course's version history (versions.*): comparing, rolling back, withdrawing and
// reviews, and the notices learners get about a withdrawn course.
import { provideTexts } from "~/utils/i18n";
import { versionsEn } from "./versions.en";
import { versionsVi } from "./versions.vi";

provideTexts("versions", { vi: versionsVi, en: versionsEn });
