export interface PushSubscriptionView {
  id: string;
  endpoint: string;
  createdAt: string;
  lastSuccessAt: string | null;
}

export interface VapidPublicKeyView {
  /** base64url, for PushManager.subscribe({ applicationServerKey }). */
  publicKey: string;
}
