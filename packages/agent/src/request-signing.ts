/**
 * Request signing of the platform contract, shared with the server: the code lives in
 * `@harrier/schema` (`request-signing.ts`). It is imported by file rather than through the
 * package index because the index also loads every normalizer and TypeBox (~20 MB of RSS
 * the agent has no use for). Canonical string:
 *   METHOD \n PATH \n TIMESTAMP \n NONCE \n sha256hex(body bytes as sent)
 */
export {
  type SignatureInput as SignInput,
  signingString as canonicalRequest,
  signRequest,
} from '../../schema/src/request-signing.ts';
