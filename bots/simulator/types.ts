/** The simulator's own wire format: what `POST /api/simulator/messages` takes and answers. */
export interface SimulatorRequest {
  senderId: string;
  senderName?: string;
  threadId?: string;
  threadKind?: "direct" | "group";
  text: string;
  messageId?: string;
  replyToMessageId?: string;
}

export interface SimulatorResponse {
  replies: { messageId: string; threadId: string; text: string }[];
}
