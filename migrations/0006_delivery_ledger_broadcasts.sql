CREATE TYPE "public"."broadcast_kind" AS ENUM('announcement', 'remind', 'digest');--> statement-breakpoint
ALTER TYPE "public"."delivery_outcome" ADD VALUE 'sending' BEFORE 'failed';--> statement-breakpoint
CREATE TABLE "broadcasts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" "broadcast_kind" NOT NULL,
	"text" text NOT NULL,
	"targets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broadcasts_orgId_dedupeKey_unique" UNIQUE("org_id","dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "broadcast_id" uuid;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_created_by_persons_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "broadcasts_org_id_created_at_index" ON "broadcasts" USING btree ("org_id","created_at");--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_messages_broadcast_id_index" ON "outbound_messages" USING btree ("broadcast_id");--> statement-breakpoint
CREATE INDEX "outbound_messages_status_created_at_index" ON "outbound_messages" USING btree ("status","created_at");