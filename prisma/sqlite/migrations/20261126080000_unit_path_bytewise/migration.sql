-- Unit paths already compare byte by byte in SQLite (BINARY collation): a subtree is one range
-- of "OrgUnit_path_idx" (see subtreeOf in app/utils/org-units.ts). Nothing to change here.
SELECT 1;
