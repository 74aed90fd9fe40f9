// Texts of the question statistics page and its CSV (questionStats.*), loaded by the modules that use them.
import { provideTexts } from "~/utils/i18n";
import { questionStatsEn } from "./question-stats.en";
import { questionStatsVi } from "./question-stats.vi";

provideTexts("questionStats", { vi: questionStatsVi, en: questionStatsEn });
