CREATE TABLE "link_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"code" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by_identity_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "link_codes_orgId_code_unique" UNIQUE("org_id","code")
);
--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "pending" jsonb;--> statement-breakpoint
ALTER TABLE "link_codes" ADD CONSTRAINT "link_codes_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_codes" ADD CONSTRAINT "link_codes_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_codes" ADD CONSTRAINT "link_codes_used_by_identity_id_identities_id_fk" FOREIGN KEY ("used_by_identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_codes_person_id_index" ON "link_codes" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "deliveries_channel_external_message_id_index" ON "deliveries" USING btree ("channel","external_message_id");