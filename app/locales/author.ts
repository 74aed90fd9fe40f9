// The trainer area's texts (author.*). Only the modules that name these keys import this one, so
// a learner's pages never download them.
import { provideTexts } from "~/utils/i18n";
import { authorEn } from "./author.en";
import { authorVi } from "./author.vi";

provideTexts("author", { vi: authorVi, en: authorEn });
