-- Unit paths compare byte by byte, so a subtree is one range of "OrgUnit_path_idx" (see subtreeOf
-- in app/utils/org-units.ts). Under a language collation "/" would be ignored when sorting.
ALTER TABLE "OrgUnit" ALTER COLUMN "path" SET DATA TYPE TEXT COLLATE "C";
