#!/usr/bin/env bash
# Creates a migration with the same name for both databases from the shared models.
# usage: scripts/new-migration.sh <name>   (needs a PostgreSQL server: KNS_PG_URL)
set -euo pipefail
mkdir -p data
name="$(date -u +%Y%m%d%H%M%S)_$1"
pg="${KNS_PG_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}"
for p in sqlite postgres; do
  DATABASE_URL=$([ $p = postgres ] && echo "$pg" || echo "file:./data/migration-shadow.db") \
    npx prisma migrate diff --config "prisma/$p.config.ts" \
      --from-migrations "prisma/$p/migrations" --to-schema-datamodel "prisma/$p" --script \
      > "data/$p-migration.sql"
done
for p in sqlite postgres; do
  mkdir -p "prisma/$p/migrations/$name"
  mv "data/$p-migration.sql" "prisma/$p/migrations/$name/migration.sql"
done
rm -f data/migration-shadow.db
echo "prisma/*/migrations/$name"
