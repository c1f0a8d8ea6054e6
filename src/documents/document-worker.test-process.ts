// A document worker as its own process, for the crash test (document-worker.crash.test.ts): the test
// kills it with SIGKILL in the middle of a pipeline and checks that the next worker resumes the job.
//   bun src/documents/document-worker.test-process.ts <sqlite file | postgres url> <data dir> <ollama url>
import { defaultConfig } from "../config/config.keys";
import { createLogger } from "../log/logger";
import { createFsBlobStore } from "../store/blob-store";
import { isPostgresUrl, openPostgres, openSqlite } from "../store/db";
import { startDocumentWorkers } from "./document-worker";

const [database, dataDir, ollamaUrl] = process.argv.slice(2);
if (!database || !dataDir || !ollamaUrl) throw new Error("usage: document-worker.test-process.ts <database> <data dir> <ollama url>");
const config = defaultConfig();
Object.assign(config.ai, { enabled: true, ollama_url: ollamaUrl, chat_model: "test-chat:latest", timeout_seconds: 60 });
const store = isPostgresUrl(database) ? await openPostgres(database, 2) : openSqlite(database);
const workers = startDocumentWorkers({ store, config, log: createLogger({ level: "error" }), blobStore: createFsBlobStore(dataDir) });
await workers.adopted;
console.log(`worker ${workers.owner}`);
