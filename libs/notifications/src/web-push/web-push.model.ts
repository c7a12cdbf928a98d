/** What a browser's PushSubscription.toJSON() gives: the push service URL and the keys to encrypt to. */
export interface WebPushTarget {
  endpoint: string;
  /** The subscription's P-256 public key (uncompressed point), base64url. */
  p256dh: string;
  /** The subscription's 16-byte auth secret, base64url. */
  auth: string;
}

/** The application server's VAPID identity (RFC 8292). `subject` is a mailto: or https: contact. */
export interface VapidIdentity {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}
