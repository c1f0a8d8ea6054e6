ALTER TABLE "tool_suggestions" DROP CONSTRAINT "tool_suggestions_suggested_by_users_id_fk";
--> statement-breakpoint
ALTER TABLE "tool_suggestions" ALTER COLUMN "suggested_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_suggestions" ADD COLUMN "suggested_by_pseudonym" text;--> statement-breakpoint
ALTER TABLE "tool_suggestions" ADD CONSTRAINT "tool_suggestions_suggested_by_users_id_fk" FOREIGN KEY ("suggested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;