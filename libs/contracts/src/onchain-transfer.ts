// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  isString,
  IsString,
  Length,
  Max,
  maxLength,
  MaxLength,
  Min,
  minLength,
  MinLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { MAX_ADDRESS_LENGTH, TransferFields } from './transfer-fields';
import { IsZonedTime } from './validators';

export class TransferObserver {
  @IsString()
  @Length(1, 200)
  exchangeId!: string;

  @IsIn(['sender', 'receiver'])
  side!: 'sender' | 'receiver';
}

/**
 * One `from` item by the same checks as the `each` decorators on `from`, so that a failed
 * decode can name the bad items (`from[2]`); decode.property.spec.ts holds the two together.
 */
export function isFromItem(value: unknown): boolean {
  return isString(value) && minLength(value, 1) && maxLength(value, MAX_ADDRESS_LENGTH);
}

/** `onchain-transfer` on `transfers.onchain.v1`, written by chain indexers. */
export class OnchainTransfer extends TransferFields {
  @Equals('onchain-transfer')
  type!: 'onchain-transfer';

  @IsString()
  @Length(1, 200)
  txHash!: string;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  index!: number;

  @IsZonedTime()
  blockTime!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(MAX_ADDRESS_LENGTH, { each: true })
  from!: string[];

  @IsString()
  @Length(1, MAX_ADDRESS_LENGTH)
  to!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TransferObserver)
  observer?: TransferObserver;
}
