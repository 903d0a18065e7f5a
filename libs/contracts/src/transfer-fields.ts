import { IsOptional, IsString, Length } from 'class-validator';
import { IsDecimalString } from './validators';

export const MAX_ADDRESS_LENGTH = 128;

/** The fields both transfer events share, with the same rules (docs/shared-contract.md). */
export abstract class TransferFields {
  @IsString()
  @Length(1, 200)
  eventId!: string;

  // Checked against the supported set after the schema, so that an unknown chain gets its own code.
  @IsString()
  @Length(1, 40)
  chain!: string;

  @IsString()
  @Length(1, 20)
  asset!: string;

  @IsDecimalString({ positive: true })
  amount!: string;

  @IsOptional()
  @IsDecimalString({ positive: false })
  valueJpy?: string;
}
