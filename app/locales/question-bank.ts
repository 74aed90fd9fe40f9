// Texts of question-bank import and export (qbank.*), loaded by the modules that use them.
import { provideTexts } from "~/utils/i18n";
import { questionBankEn } from "./question-bank.en";
import { questionBankVi } from "./question-bank.vi";

provideTexts("qbank", { vi: questionBankVi, en: questionBankEn });
