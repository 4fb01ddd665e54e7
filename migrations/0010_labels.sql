ALTER TABLE "directives" ADD COLUMN "short_name" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "label" text;