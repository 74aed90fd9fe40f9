/** The measures of the coverage report, in the order the page and downloads show them. */
export const COVERAGE_COLUMNS = ["staff", "activated", "headcount", "vacancies", "enrolled", "completed", "completionRate", "overdue", "exempt", "validCertificates"] as const;
/** The measures of the table by category. */
export const CATEGORY_COLUMNS = ["enrolled", "completed", "completionRate", "overdue", "exempt", "validCertificates"] as const;
