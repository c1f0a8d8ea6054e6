CREATE TABLE "tool_draft_locks" (
	"tool_id" text PRIMARY KEY NOT NULL,
	"holder_id" text NOT NULL,
	"acquired_at" timestamp (3) with time zone NOT NULL,
	"heartbeat_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_maintainers" (
	"tool_id" text NOT NULL,
	"user_id" text NOT NULL,
	"added_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "tool_maintainers_tool_id_user_id_pk" PRIMARY KEY("tool_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "tool_suggestion_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"suggestion_id" text NOT NULL,
	"decision" text NOT NULL,
	"rationale" text,
	"decided_by" text,
	"decided_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"suggested_by" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"professions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"categories" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"tool_id" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_version_events" (
	"id" text PRIMARY KEY NOT NULL,
	"tool_id" text NOT NULL,
	"version_id" text NOT NULL,
	"kind" text NOT NULL,
	"message" text,
	"actor_id" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_categories" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"patterns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_category_links" (
	"document_id" text NOT NULL,
	"category_id" text NOT NULL,
	CONSTRAINT "document_category_links_document_id_category_id_pk" PRIMARY KEY("document_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "document_pages" (
	"document_id" text NOT NULL,
	"page" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "document_pages_document_id_page_pk" PRIMARY KEY("document_id","page")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"pages" integer,
	"status" text NOT NULL,
	"failure_code" text,
	"failure_detail" text,
	"failed_at" timestamp (3) with time zone,
	"doc_type" text,
	"summary" text,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"suggestion" jsonb,
	"ai_model" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"processed_at" timestamp (3) with time zone
);
--> statement-breakpoint
DROP INDEX "jobs_claim_idx";--> statement-breakpoint
DROP INDEX "tool_versions_number_uq";--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "run_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "kind" text DEFAULT 'run' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "subject_id" text;--> statement-breakpoint
ALTER TABLE "tool_versions" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_draft_locks" ADD CONSTRAINT "tool_draft_locks_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_draft_locks" ADD CONSTRAINT "tool_draft_locks_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_maintainers" ADD CONSTRAINT "tool_maintainers_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_maintainers" ADD CONSTRAINT "tool_maintainers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_suggestion_decisions" ADD CONSTRAINT "tool_suggestion_decisions_suggestion_id_tool_suggestions_id_fk" FOREIGN KEY ("suggestion_id") REFERENCES "public"."tool_suggestions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_suggestion_decisions" ADD CONSTRAINT "tool_suggestion_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_suggestions" ADD CONSTRAINT "tool_suggestions_suggested_by_users_id_fk" FOREIGN KEY ("suggested_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_suggestions" ADD CONSTRAINT "tool_suggestions_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_version_events" ADD CONSTRAINT "tool_version_events_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_version_events" ADD CONSTRAINT "tool_version_events_version_id_tool_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."tool_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_version_events" ADD CONSTRAINT "tool_version_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_categories" ADD CONSTRAINT "document_categories_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_category_links" ADD CONSTRAINT "document_category_links_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_category_links" ADD CONSTRAINT "document_category_links_category_id_document_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."document_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_pages" ADD CONSTRAINT "document_pages_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tool_maintainers_user_idx" ON "tool_maintainers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tool_suggestion_decisions_idx" ON "tool_suggestion_decisions" USING btree ("suggestion_id","decided_at");--> statement-breakpoint
CREATE INDEX "tool_suggestions_by_idx" ON "tool_suggestions" USING btree ("suggested_by","created_at");--> statement-breakpoint
CREATE INDEX "tool_suggestions_status_idx" ON "tool_suggestions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "tool_version_events_tool_idx" ON "tool_version_events" USING btree ("tool_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "document_categories_user_name_uq" ON "document_categories" USING btree ("user_id","name_key");--> statement-breakpoint
CREATE INDEX "document_category_links_category_idx" ON "document_category_links" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "documents_user_created_idx" ON "documents" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "documents_status_idx" ON "documents" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "jobs_subject_idx" ON "jobs" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "tool_versions_sandbox_hash_idx" ON "tool_versions" USING btree ("tool_id","sandbox","content_hash");--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("kind","status","priority","available_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tool_versions_number_uq" ON "tool_versions" USING btree ("tool_id","number") WHERE "sandbox" = false;