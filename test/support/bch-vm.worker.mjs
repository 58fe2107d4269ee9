// Checks BCH transactions with @bitauth/libauth (ESM-only, so specs run this file in a child `node`
// process; see bch-vm.ts). Reads one JSON request on stdin, writes one JSON answer on stdout:
//   { verify: [{ txHex, sourceOutputs: [{ lockingBytecode: hex, valueSatoshis: "decimal" }] }],
//     schnorr: [{ privateKey: hex, messageHash: hex }] }
// -> { verify: [true | "<VM error>"], schnorr: ["<64-byte signature hex>"] }
import { createVirtualMachineBCH, decodeTransaction, hexToBin, binToHex, secp256k1 } from '@bitauth/libauth';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const vm = createVirtualMachineBCH(true);
const verify = (request.verify ?? []).map(({ txHex, sourceOutputs }) => {
  const transaction = decodeTransaction(hexToBin(txHex));
  if (typeof transaction === 'string') return `decode: ${transaction}`;
  return vm.verify({
    transaction,
    sourceOutputs: sourceOutputs.map((output) => ({
      lockingBytecode: hexToBin(output.lockingBytecode),
      valueSatoshis: BigInt(output.valueSatoshis),
    })),
  });
});
const schnorr = (request.schnorr ?? []).map(({ privateKey, messageHash }) => {
  const signature = secp256k1.signMessageHashSchnorr(hexToBin(privateKey), hexToBin(messageHash));
  return typeof signature === 'string' ? `error: ${signature}` : binToHex(signature);
});
process.stdout.write(JSON.stringify({ verify, schnorr }));
