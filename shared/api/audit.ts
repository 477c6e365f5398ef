/** Audit events: append-only, one per connection change, session change and write. */
export interface AuditEvent {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}
