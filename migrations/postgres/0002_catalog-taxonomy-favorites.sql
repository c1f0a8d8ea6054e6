CREATE TABLE "categories" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"sort_order" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "professions" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"sort_order" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_categories" (
	"tool_id" text NOT NULL,
	"category_id" text NOT NULL,
	CONSTRAINT "tool_categories_tool_id_category_id_pk" PRIMARY KEY("tool_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "tool_favorites" (
	"user_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "tool_favorites_user_id_tool_id_pk" PRIMARY KEY("user_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "tool_instructions_seen" (
	"user_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"version_id" text NOT NULL,
	"seen_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "tool_instructions_seen_user_id_tool_id_pk" PRIMARY KEY("user_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "tool_professions" (
	"tool_id" text NOT NULL,
	"profession_id" text NOT NULL,
	CONSTRAINT "tool_professions_tool_id_profession_id_pk" PRIMARY KEY("tool_id","profession_id")
);
--> statement-breakpoint
CREATE TABLE "tool_publications" (
	"tool_id" text PRIMARY KEY NOT NULL,
	"first_published_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tool_categories" ADD CONSTRAINT "tool_categories_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_categories" ADD CONSTRAINT "tool_categories_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_favorites" ADD CONSTRAINT "tool_favorites_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_favorites" ADD CONSTRAINT "tool_favorites_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_instructions_seen" ADD CONSTRAINT "tool_instructions_seen_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_instructions_seen" ADD CONSTRAINT "tool_instructions_seen_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_instructions_seen" ADD CONSTRAINT "tool_instructions_seen_version_id_tool_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."tool_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_professions" ADD CONSTRAINT "tool_professions_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_professions" ADD CONSTRAINT "tool_professions_profession_id_professions_id_fk" FOREIGN KEY ("profession_id") REFERENCES "public"."professions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_publications" ADD CONSTRAINT "tool_publications_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_slug_uq" ON "categories" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "professions_slug_uq" ON "professions" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "tool_categories_category_idx" ON "tool_categories" USING btree ("category_id","tool_id");--> statement-breakpoint
CREATE INDEX "tool_favorites_tool_idx" ON "tool_favorites" USING btree ("tool_id");--> statement-breakpoint
CREATE INDEX "tool_instructions_seen_tool_idx" ON "tool_instructions_seen" USING btree ("tool_id");--> statement-breakpoint
CREATE INDEX "tool_instructions_seen_version_idx" ON "tool_instructions_seen" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "tool_professions_profession_idx" ON "tool_professions" USING btree ("profession_id","tool_id");--> statement-breakpoint
CREATE INDEX "tool_publications_time_idx" ON "tool_publications" USING btree ("first_published_at");