ALTER TABLE "directives" ADD COLUMN "short_name" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "percent" integer;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "choices" jsonb;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "count_noun" text;