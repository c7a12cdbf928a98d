import { OutboundAllowList } from '#app/notifications';

/** The test peers listen on 127.0.0.1, which owner-supplied URLs may reach only when listed (OUTBOUND_ALLOWED_CIDRS). */
export const LOCAL_PEERS = OutboundAllowList.of(['127.0.0.1/32']);
