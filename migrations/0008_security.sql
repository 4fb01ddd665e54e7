CREATE TABLE "attempt_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "link_codes" ADD COLUMN "channel" "channel";--> statement-breakpoint
ALTER TABLE "link_codes" ADD COLUMN "failed_tries" integer DEFAULT 0 NOT NULL;