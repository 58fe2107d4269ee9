import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';

/**
 * The class-validator schema of a pending item (docs/tatum-protocol.md §3). It is its own module so that
 * class-validator (~300 modules) loads only when the first pending item is read: pending-transaction.ts
 * requires it on first use, and commands that never read one do not pay for it.
 */

const INTEGER = { message: 'must be an integer' };
const NON_NEGATIVE = { message: 'must be >= 0' };

class SignatureRefDto {
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  id: string;
  @IsOptional()
  @IsInt(INTEGER)
  @Min(0, NON_NEGATIVE)
  index?: number;
}

class WithdrawalAddressDto {
  @IsOptional()
  @IsString({ message: 'must be a string' })
  address?: string;
  @IsOptional()
  @IsInt(INTEGER)
  @Min(0, NON_NEGATIVE)
  derivationKey?: number;
}

class WithdrawalResponseDto {
  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @ValidateNested({ message: 'must be an object' })
  @Type(() => WithdrawalAddressDto)
  address?: WithdrawalAddressDto;
  @IsOptional()
  @IsString({ message: 'must be a string' })
  vIn?: string;
}

export class PendingTransactionDto {
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  id: string;
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  chain: string;
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  serializedTransaction: string;
  @IsArray({ message: 'must be an array of signature ids' })
  @IsString({ each: true, message: 'must contain only strings' })
  @IsNotEmpty({ each: true, message: 'must not contain empty ids' })
  hashes: string[];
  @IsOptional()
  @IsInt(INTEGER)
  @Min(0, NON_NEGATIVE)
  index?: number;
  @IsOptional()
  @IsArray({ message: 'must be an array' })
  @ValidateNested({ each: true, message: 'must be an object' })
  @Type(() => SignatureRefDto)
  signatures?: SignatureRefDto[];
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'must not be empty' })
  withdrawalId?: string;
  @IsOptional()
  @IsArray({ message: 'must be an array' })
  @ValidateNested({ each: true, message: 'must be an object' })
  @Type(() => WithdrawalResponseDto)
  withdrawalResponses?: WithdrawalResponseDto[];
  @IsOptional()
  @IsString({ message: 'must be a string' })
  txId?: string;
}

/** When a value breaks several constraints, the message of the most basic one is shown. */
const CONSTRAINT_ORDER = ['isArray', 'isObject', 'isString', 'isInt', 'isNotEmpty', 'min'];
const rank = (constraint: string): number =>
  CONSTRAINT_ORDER.indexOf(constraint) + 1 || CONSTRAINT_ORDER.length + 1;

/** Depth-first: the first failing field as `field.path[1].sub`, and what is wrong with it. */
function firstProblem(
  errors: ValidationError[],
  parent = '',
): { field: string; problem: string } | undefined {
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const [first] = Object.entries(error.constraints ?? {}).sort(([a], [b]) => rank(a) - rank(b));
    if (first) return { field, problem: error.value === undefined ? 'is missing' : first[1] };
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * The validated copy of `plain` (an item without nulls), or the first problem: the failing field as
 * `field.path[1].sub` and what is wrong with it (never its value).
 */
export function validatePendingItem(
  plain: Record<string, unknown>,
):
  | { dto: PendingTransactionDto; problem?: undefined }
  | { dto?: undefined; problem: { field: string; problem: string } } {
  const dto = plainToInstance(PendingTransactionDto, plain);
  const problem = firstProblem(validateSync(dto));
  return problem ? { problem } : { dto };
}
