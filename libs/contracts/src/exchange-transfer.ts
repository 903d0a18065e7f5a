// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { MAX_ADDRESS_LENGTH, TransferFields } from './transfer-fields';
import { TravelRule } from './travel-rule';
import { IsCountry, IsKanaReading, IsZonedTime } from './validators';

export class ExchangeAccount {
  @IsString()
  @Length(1, 200)
  id!: string;

  @IsCountry()
  residency!: string;

  @IsIn(['individual', 'corporate'])
  kind!: 'individual' | 'corporate';

  /** The holder's name as the exchange holds it (kanji, katakana, Latin); screened by NAME_MATCH. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  name?: string;

  /** The name's reading in katakana (furigana), as Japanese exchanges collect it. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @IsKanaReading()
  nameKana?: string;
}

export class Counterparty {
  @IsIn(['hosted', 'unhosted', 'unknown'])
  walletType!: 'hosted' | 'unhosted' | 'unknown';

  @IsOptional()
  @IsString()
  @Length(1, 200)
  vaspId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  vaspName?: string;

  @IsOptional()
  @IsCountry()
  vaspCountry?: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  name?: string;

  /** The name's reading in katakana (furigana), as Japanese exchanges collect it. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @IsKanaReading()
  nameKana?: string;

  @IsOptional()
  @IsCountry()
  residency?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  accountId?: string;
}

export type ExchangeDirection = 'withdrawal' | 'deposit' | 'internal';

/** `exchange-transfer` on `transfers.exchange.v1`, written by the exchange's ledger. */
export class ExchangeTransfer extends TransferFields {
  @Equals('exchange-transfer')
  type!: 'exchange-transfer';

  @IsString()
  @Length(1, 200)
  exchangeId!: string;

  @IsIn(['withdrawal', 'deposit', 'internal'])
  direction!: ExchangeDirection;

  @IsZonedTime()
  occurredAt!: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ExchangeAccount)
  account!: ExchangeAccount;

  // The external wallet: required for withdrawals and deposits, optional for internal moves.
  @ValidateIf((t: ExchangeTransfer) => t.direction !== 'internal' || t.address !== undefined)
  @IsString()
  @Length(1, MAX_ADDRESS_LENGTH)
  address?: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => Counterparty)
  counterparty!: Counterparty;

  @IsOptional()
  @IsCountry()
  ipCountry?: string;

  /** The travel-rule message exchanged with the other VASP, in IVMS101 form. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TravelRule)
  travelRule?: TravelRule;
}
