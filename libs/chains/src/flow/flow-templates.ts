/**
 * The Cadence transactions the KMS builds for Tatum's FLOW pending types. Tatum's SDK (1.37.x and
 * @tatumio/flow 2.x) wrote them for Cadence before 1.0 (`AuthAccount`, `getCapability`, restricted
 * types), which the Flow network stopped running with the Crescendo upgrade (September 2024); these
 * are the same transactions in Cadence 1.0, following the standard FungibleToken v2 transactions.
 * Contract addresses are Tatum's (FLOW_MAINNET_ADDRESSES / FLOW_TESTNET_ADDRESSES of its SDK).
 */

export type FlowToken = 'FLOW' | 'FUSD';

interface FlowContracts {
  FungibleToken: string;
  FlowToken: string;
  FUSD: string;
}

const MAINNET: FlowContracts = {
  FungibleToken: '0xf233dcee88fe0abe',
  FlowToken: '0x1654653399040a61',
  FUSD: '0x3c5959b568896393',
};

const TESTNET: FlowContracts = {
  FungibleToken: '0x9a0766d93b6608b7',
  FlowToken: '0x7e60df042a9c0868',
  FUSD: '0xe223d8a629e49c68',
};

/** Contract name and storage-path stem of each token, as Tatum's templates name them. */
const TOKENS: Record<FlowToken, { contract: 'FlowToken' | 'FUSD'; storage: string }> = {
  FLOW: { contract: 'FlowToken', storage: 'flowToken' },
  FUSD: { contract: 'FUSD', storage: 'fusd' },
};

/** Arguments: (amount: UFix64, recipient: Address). Authorizer: the sender. */
export function transferTemplate(token: FlowToken, testnet: boolean): string {
  const contracts = testnet ? TESTNET : MAINNET;
  const { contract, storage } = TOKENS[token];
  return `import FungibleToken from ${contracts.FungibleToken}
import ${contract} from ${contracts[contract]}

transaction(amount: UFix64, recipient: Address) {
  let sentVault: @{FungibleToken.Vault}

  prepare(signer: auth(BorrowValue) &Account) {
    let vaultRef = signer.storage.borrow<auth(FungibleToken.Withdraw) &${contract}.Vault>(from: /storage/${storage}Vault)
      ?? panic("failed to borrow reference to sender vault")
    self.sentVault <- vaultRef.withdraw(amount: amount)
  }

  execute {
    let receiverRef = getAccount(recipient)
      .capabilities.borrow<&{FungibleToken.Receiver}>(/public/${storage}Receiver)
      ?? panic("failed to borrow reference to recipient vault")
    receiverRef.deposit(from: <-self.sentVault)
  }
}
`;
}

/**
 * Arguments: (publicKey: String), 128 hex digits of an uncompressed secp256k1 key. Authorizer: the
 * account that creates (and funds the storage of) the new one, which gets the key with weight 1000
 * and SHA3-256, as Tatum's template gave it. Tatum's template also put FUSD and TatumMultiNFT
 * storage in the new account; that part is left out (see README, FLOW).
 */
export const CREATE_ACCOUNT_TEMPLATE = `transaction(publicKey: String) {
  prepare(signer: auth(BorrowValue) &Account) {
    let account = Account(payer: signer)
    account.keys.add(
      publicKey: PublicKey(
        publicKey: publicKey.decodeHex(),
        signatureAlgorithm: SignatureAlgorithm.ECDSA_secp256k1
      ),
      hashAlgorithm: HashAlgorithm.SHA3_256,
      weight: 1000.0
    )
  }
}
`;

/** Arguments: (publicKey: String, weight: UFix64). Authorizer: the account that gets the key. */
export const ADD_PUBLIC_KEY_TEMPLATE = `transaction(publicKey: String, weight: UFix64) {
  prepare(signer: auth(AddKey) &Account) {
    signer.keys.add(
      publicKey: PublicKey(
        publicKey: publicKey.decodeHex(),
        signatureAlgorithm: SignatureAlgorithm.ECDSA_secp256k1
      ),
      hashAlgorithm: HashAlgorithm.SHA3_256,
      weight: weight
    )
  }
}
`;
