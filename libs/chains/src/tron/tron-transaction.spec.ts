import vectors from '@kms/test-fixtures/derivation.json';
import { KmsError } from '@kms/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { SigningKey } from 'ethers';
import type { ChainNetwork } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';
import { encodeTronAddress, parseTronAddress, tronAddress } from './tron-keys';
import { tronTransaction, type RawSpec } from './tron.test-helpers';
import { TronSigner } from './tron.signer';

/**
 * TRON signing: transactions as TronWeb / a TRON node build them (one captured from a node, the
 * others encoded by tron.test-helpers.ts), signatures checked by public-key recovery, against ethers'
 * SigningKey (what TronWeb signs with), and every tampering rejected before anything is signed.
 */
const KEYS = vectors.chains.TRON.mainnet.generatePrivateKeyFromMnemonic;
const ADDRESSES = vectors.chains.TRON.mainnet.generateAddressFromXPub;
const KEY = KEYS['0'];
const ADDRESS = ADDRESSES['0'];
const OWNER_HEX = bytesToHex(parseTronAddress(ADDRESS)!);
const TO_HEX = bytesToHex(parseTronAddress(ADDRESSES['1'])!);
const USDT_HEX = bytesToHex(parseTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')!);
const TRC20_DATA = `a9059cbb000000000000000000000000${TO_HEX.slice(2)}00000000000000000000000000000000000000000000000000000000000f4240`;

/** A TRX transfer captured from a TRON node's /wallet/createtransaction (public documentation example). */
const NODE_RAW_DATA = {
  contract: [
    {
      parameter: {
        value: {
          amount: 1000,
          owner_address: '41608f8da72479edc7dd921e4c30bb7e7cddbe722e',
          to_address: '41e9d79cc47518930bc322d9bf7cddd260a0260a8d',
        },
        type_url: 'type.googleapis.com/protocol.TransferContract',
      },
      type: 'TransferContract',
    },
  ],
  ref_block_bytes: '5e4b',
  ref_block_hash: '47c9dc89341b300d',
  expiration: 1591089627000,
  timestamp: 1591089567635,
};
const NODE_RAW_DATA_HEX =
  '0a025e4b220847c9dc89341b300d40f8fed3a2a72e5a66080112620a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412310a1541608f8da72479edc7dd921e4c30bb7e7cddbe722e121541e9d79cc47518930bc322d9bf7cddd260a0260a8d18e8077093afd0a2a72e';

const HEADER = {
  ref_block_bytes: '5e4b',
  ref_block_hash: '47c9dc89341b300d',
  expiration: 1591089627000,
  timestamp: 1591089567635,
};
const trx = (value: Record<string, string | number> = {}, extra: Partial<RawSpec> = {}) =>
  tronTransaction({
    contract: [
      {
        type: 'TransferContract',
        value: { amount: 1_500_000, owner_address: OWNER_HEX, to_address: TO_HEX, ...value },
      },
    ],
    ...HEADER,
    ...extra,
  });
const trc20 = () =>
  tronTransaction({
    contract: [
      {
        type: 'TriggerSmartContract',
        value: { data: TRC20_DATA, owner_address: OWNER_HEX, contract_address: USDT_HEX },
      },
    ],
    ...HEADER,
    fee_limit: 100_000_000,
  });

const network: ChainNetwork = {
  tatum: () => Promise.reject(new Error('TRON signing must not touch the network')),
  node: () => Promise.reject(new Error('TRON signing must not touch the network')),
};
const request = (tx: unknown, keys = [KEY]): SignRequest => ({
  serializedTransaction: typeof tx === 'string' ? tx : JSON.stringify(tx),
  keys,
  withdrawal: false,
  testnet: false,
  network,
});
const tron = new TronSigner();
const sign = (tx: unknown, keys?: string[]) => tron.signTransaction(request(tx, keys));

/** The T-address whose key made `signature` over `txID`, or undefined when it does not recover. */
function signerOf(txID: string, signature: string): string | undefined {
  try {
    const v = parseInt(signature.slice(128), 16);
    const recovered = secp256k1.Signature.fromHex(signature.slice(0, 128), 'compact')
      .addRecoveryBit(v - 27)
      .recoverPublicKey(hexToBytes(txID));
    return tronAddress(recovered.toBytes(false));
  } catch {
    return undefined;
  }
}

async function expectRejected(tx: unknown, detail: RegExp, code = 'INVALID_PENDING_TX', keys?: string[]) {
  const error = await sign(tx, keys).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  expect((error as KmsError).message).toMatch(detail);
  for (const key of [KEY, ...(keys ?? [])]) expect((error as KmsError).message).not.toContain(key.slice(-40));
}

describe('TRON transaction signing', () => {
  it('encodes raw_data as a TRON node does (the test helper reproduces a captured transaction)', () => {
    const built = tronTransaction({
      contract: [{ type: 'TransferContract', value: NODE_RAW_DATA.contract[0].parameter.value }],
      ...HEADER,
    });
    expect(built.raw_data_hex).toBe(NODE_RAW_DATA_HEX);
    expect(built.raw_data).toEqual(NODE_RAW_DATA);
  });

  it('checks a captured transaction and refuses a key that does not own it', async () => {
    const tx = {
      visible: false,
      txID: bytesToHex(sha256(hexToBytes(NODE_RAW_DATA_HEX))),
      raw_data: NODE_RAW_DATA,
      raw_data_hex: NODE_RAW_DATA_HEX,
    };
    const owner = encodeTronAddress(hexToBytes(NODE_RAW_DATA.contract[0].parameter.value.owner_address));
    await expectRejected(tx, new RegExp(`owned by ${owner}, not by the signing key's address ${ADDRESS}`));
  });

  it('signs a TRX transfer: txID signed by the wallet key, r||s||v as TronWeb writes it, JSON kept', async () => {
    const tx = trx();
    const signed = JSON.parse(await sign(tx));
    expect(signed).toEqual({ ...tx, signature: [expect.stringMatching(/^[0-9a-f]{128}1[bc]$/)] });
    expect(Object.keys(signed)).toEqual([...Object.keys(tx), 'signature']);
    expect(signerOf(tx.txID, signed.signature[0])).toBe(ADDRESS);
    // TronWeb signs the txID with ethers' SigningKey (RFC 6979, low s) and appends v = 27/28 in hex.
    const reference = new SigningKey(`0x${KEY}`).sign(`0x${tx.txID}`);
    expect(signed.signature[0]).toBe(
      `${reference.r.slice(2)}${reference.s.slice(2)}${reference.v.toString(16)}`,
    );
    expect(await sign(tx)).toBe(JSON.stringify(signed));
  });

  it('a tampered signature does not verify as the wallet', async () => {
    const tx = trx();
    const [signature] = JSON.parse(await sign(tx)).signature as string[];
    const flip = (at: number) =>
      signature.slice(0, at) + (parseInt(signature[at], 16) ^ 1).toString(16) + signature.slice(at + 1);
    for (const at of [10, 70, 129]) expect(signerOf(tx.txID, flip(at))).not.toBe(ADDRESS);
    const other = trx({ amount: 1_500_001 });
    expect(signerOf(other.txID, signature)).not.toBe(ADDRESS);
  });

  it('signs a TRC-20 transfer (TriggerSmartContract with fee_limit) and a visible (base58) transaction', async () => {
    const tx = trc20();
    const signed = JSON.parse(await sign(tx));
    expect(signerOf(tx.txID, signed.signature[0])).toBe(ADDRESS);

    const value = tx.raw_data.contract[0].parameter.value;
    const visible = {
      ...tx,
      visible: true,
      raw_data: {
        ...tx.raw_data,
        contract: [
          {
            ...tx.raw_data.contract[0],
            parameter: {
              ...tx.raw_data.contract[0].parameter,
              value: {
                ...value,
                owner_address: ADDRESS,
                contract_address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
              },
            },
          },
        ],
      },
    };
    expect(JSON.parse(await sign(visible)).signature).toEqual(signed.signature);
  });

  it('signs a TRC-10 transfer whose asset name is shown as hex or as text', async () => {
    const assetName = bytesToHex(utf8ToBytes('1002000'));
    const spec = {
      contract: [
        {
          type: 'TransferAssetContract' as const,
          value: { amount: 5, asset_name: assetName, owner_address: OWNER_HEX, to_address: TO_HEX },
        },
      ],
      ...HEADER,
    };
    const tx = tronTransaction(spec);
    expect(signerOf(tx.txID, JSON.parse(await sign(tx)).signature[0])).toBe(ADDRESS);
    const asText = JSON.parse(JSON.stringify(tx));
    asText.raw_data.contract[0].parameter.value.asset_name = '1002000';
    await expect(sign(asText)).resolves.toContain('"signature"');
    asText.raw_data.contract[0].parameter.value.asset_name = '1002001';
    await expectRejected(asText, /asset_name does not match raw_data_hex/);
  });

  it('appends to an existing signature array, once', async () => {
    const tx = trx();
    const [own] = JSON.parse(await sign(tx)).signature as string[];
    const cosigned = { ...tx, signature: ['ab'.repeat(65)] };
    expect(JSON.parse(await sign(cosigned)).signature).toEqual(['ab'.repeat(65), own]);
    expect(JSON.parse(await sign({ ...tx, signature: [own] })).signature).toEqual([own]);
    await expectRejected({ ...tx, signature: 'ab' }, /signature is not an array/);
  });

  it('checks Permission_id and lets a contract type without a schema take its owner from raw_data', async () => {
    const tx = tronTransaction({
      contract: [
        {
          type: 'TransferContract',
          value: { amount: 1, owner_address: OWNER_HEX, to_address: TO_HEX },
          permissionId: 2,
        },
      ],
      ...HEADER,
    });
    await expect(sign(tx)).resolves.toContain('"signature"');
    const hidden = JSON.parse(JSON.stringify(tx));
    delete hidden.raw_data.contract[0].Permission_id;
    await expectRejected(hidden, /Permission_id is missing but raw_data_hex sets it/);

    // FreezeBalanceV2Contract { owner_address = 1; frozen_balance = 2; resource = 3 }, type 54.
    const value = [0x0a, 0x15, ...hexToBytes(OWNER_HEX), 0x10, 0x80, 0xad, 0xe2, 0x04];
    const typeUrl = utf8ToBytes('type.googleapis.com/protocol.FreezeBalanceV2Contract');
    const any = [0x0a, typeUrl.length, ...typeUrl, 0x12, value.length, ...value];
    const contract = [0x08, 54, 0x12, any.length, ...any];
    const rawHex =
      NODE_RAW_DATA_HEX.slice(0, 42) + bytesToHex(Uint8Array.from([0x5a, contract.length, ...contract]));
    const freeze = {
      txID: bytesToHex(sha256(hexToBytes(rawHex))),
      raw_data: {
        contract: [
          {
            parameter: {
              value: { frozen_balance: 10_000_000, owner_address: OWNER_HEX },
              type_url: 'type.googleapis.com/protocol.FreezeBalanceV2Contract',
            },
            type: 'FreezeBalanceV2Contract',
          },
        ],
        ref_block_bytes: HEADER.ref_block_bytes,
        ref_block_hash: HEADER.ref_block_hash,
        expiration: HEADER.expiration,
      },
      raw_data_hex: rawHex,
    };
    const signed = JSON.parse(await sign(freeze));
    expect(signerOf(freeze.txID, signed.signature[0])).toBe(ADDRESS);
  });

  describe('rejects before signing', () => {
    const tx = trx();
    const withTxId = (rawHex: string, rawData: unknown = tx.raw_data) => ({
      ...tx,
      raw_data: rawData,
      raw_data_hex: rawHex,
      txID: bytesToHex(sha256(hexToBytes(rawHex))),
    });
    const jsonWith = (edit: (raw: typeof tx.raw_data) => void) => {
      const copy = JSON.parse(JSON.stringify(tx));
      edit(copy.raw_data);
      return copy;
    };
    const otherRaw = trx({ amount: 2_000_000 }).raw_data_hex;

    it.each([
      [
        'a txID that is not sha256(raw_data_hex)',
        { ...tx, txID: trx({ amount: 1 }).txID },
        /txID is not the SHA-256/,
      ],
      ['raw_data_hex changed under the txID', { ...tx, raw_data_hex: otherRaw }, /txID is not the SHA-256/],
      ['raw_data_hex changed with its txID', withTxId(otherRaw), /amount does not match raw_data_hex/],
      [
        'raw_data showing another amount',
        jsonWith((r) => (r.contract[0].parameter.value.amount = 1)),
        /amount does not match/,
      ],
      [
        'raw_data showing another recipient',
        jsonWith((r) => (r.contract[0].parameter.value.to_address = OWNER_HEX)),
        /to_address does not match/,
      ],
      [
        'raw_data showing another expiration',
        jsonWith((r) => (r.expiration += 1)),
        /raw_data.expiration does not match/,
      ],
      [
        'raw_data hiding a memo',
        withTxId(trx({}, { data: '6869' }).raw_data_hex),
        /raw_data.data is missing but raw_data_hex sets it/,
      ],
      [
        'raw_data with another contract type',
        jsonWith((r) => (r.contract[0].type = 'TransferAssetContract')),
        /type does not match/,
      ],
      [
        'raw_data with two contracts',
        jsonWith((r) => r.contract.push(r.contract[0])),
        /different numbers of contracts/,
      ],
      ['raw_data without contracts', jsonWith((r) => (r.contract.length = 0)), /raw_data.contract is empty/],
      [
        'an amount a JSON number cannot hold',
        jsonWith((r) => (r.contract[0].parameter.value.amount = 2 ** 60)),
        /cannot hold exactly|not an integer/,
      ],
      ['raw_data_hex that is not protobuf', withTxId('ffff'), /not a valid protobuf/],
      ['raw_data_hex with a field raw_data cannot show', withTxId(`${tx.raw_data_hex}4a00`), /field 9/],
      ['a txID that is not hex', { ...tx, txID: 'z'.repeat(64) }, /txID is not 64 hex digits/],
      ['raw_data_hex that is not hex', { ...tx, raw_data_hex: 'xyz' }, /raw_data_hex is not hex/],
      ['no raw_data', { ...tx, raw_data: undefined }, /raw_data is not an object/],
      ['text that is not JSON', '{"txID":', /not valid JSON/],
      ['a JSON array', '[]', /not a JSON object/],
    ])('%s', async (_case, bad, detail) => {
      await expectRejected(bad, detail);
    });

    it('a raw_data hiding the fee limit of the hex', async () => {
      const tx20 = trc20();
      const hidden = JSON.parse(JSON.stringify(tx20));
      delete hidden.raw_data.fee_limit;
      await expectRejected(hidden, /raw_data.fee_limit is missing but raw_data_hex sets it/);
    });

    it('no key, or a malformed key, without echoing it', async () => {
      await expectRejected(tx, /no private key/, 'INVALID_PENDING_TX', []);
      const bad = `${KEY.slice(0, 63)}x`;
      await expectRejected(tx, /Invalid private key for TRON/, 'INVALID_PRIVATE_KEY', [bad]);
    });
  });
});
