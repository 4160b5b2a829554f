// Shared by the benchmark scripts' Node helpers (imported, not run): rows written straight into
// local D1 as generated SQL for `wrangler d1 execute --file`.
import fs from 'node:fs';

// Ids: prefix + 32 lower-case hex shaped like UUIDv7 — 12 hex of a millisecond clock that
// advances by one per row (so ids sort in insertion order), '7', a 1-hex tenant tag, and an
// 18-hex row number (unique across tenants).
export const BASE_MS = Date.parse('2026-01-01T00:00:00Z');
export const id = (prefix, tag, i) =>
  `${prefix}_${(BASE_MS + i).toString(16).padStart(12, '0')}7${tag}${i.toString(16).padStart(18, '0')}`;
export const iso = ms => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const q = s => `'${String(s).replace(/'/g, "''")}'`;

// Multi-row INSERTs, each statement under D1's 100 KB limit, `chunk` rows per file (one
// transaction each: a single 200 MB file is rejected with SQLITE_TOOBIG).
export function writer(dir, name, head, chunk) {
  let file = 0, rows = 0, fd = null, stmt = [], bytes = 0;
  const files = [];
  const open = () => { const f = `${dir}/${name}-${String(file++).padStart(3, '0')}.sql`; files.push(f);
    fd = fs.openSync(f, 'w'); fs.writeSync(fd, 'BEGIN TRANSACTION;\n'); rows = 0; };
  const flushStmt = () => { if (stmt.length) fs.writeSync(fd, `${head} VALUES\n${stmt.join(',\n')};\n`); stmt = []; bytes = 0; };
  const close = () => { flushStmt(); fs.writeSync(fd, 'COMMIT;\n'); fs.closeSync(fd); fd = null; };
  return {
    add(row) {
      if (!fd) open();
      if (stmt.length >= 500 || bytes + row.length > 90000) flushStmt();
      stmt.push(row); bytes += row.length + 2;
      if (++rows >= chunk) close();
    },
    end() { if (fd) close(); return files; },
  };
}
