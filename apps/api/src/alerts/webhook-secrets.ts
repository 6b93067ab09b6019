import { hkdfSync } from 'node:crypto';
import { open, seal, type MasterKey } from '../persons/person-crypto';

const SEALED = 'sealed:';

/**
 * Webhook secrets at rest: sealed (AES-256-GCM) like the person registry's fields, with a key
 * derived by HKDF under a label of its own from the person-data master key, so the database
 * alone never holds what signs a delivery. A sealed secret is bound to its subscription.
 */
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(master: MasterKey) {
    this.key = Buffer.from(
      hkdfSync('sha256', master.wrappingKey, 'tovholder/alert-webhooks', 'webhook-secret/v1', 32),
    );
  }

  seal(subscriptionId: string, secret: string): string {
    const sealed = seal(this.key, `webhook-secret:${subscriptionId}`, Buffer.from(secret, 'utf8'));
    return `${SEALED}${sealed.toString('base64')}`;
  }

  /** The secret; one stored before secrets were sealed is read as it is (and sealed at start). */
  open(subscriptionId: string, stored: string): string {
    if (!WebhookSecrets.isSealed(stored)) return stored;
    const sealed = Buffer.from(stored.slice(SEALED.length), 'base64');
    return open(this.key, `webhook-secret:${subscriptionId}`, sealed).toString('utf8');
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(SEALED);
  }
}
