// Texts of the follow-up pages and reminders (followUp.*), loaded by the modules that use them.
import { provideTexts } from "~/utils/i18n";
import { followUpEn } from "./follow-up.en";
import { followUpVi } from "./follow-up.vi";

provideTexts("followUp", { vi: followUpVi, en: followUpEn });
