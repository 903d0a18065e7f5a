import { Equals, IsString, Length } from 'class-validator';
import { IsDecimalString, IsZonedTime } from './validators';

/** `rate` on `rates.v1`: the price of one unit of `asset` in yen at `at`. */
export class Rate {
  @Equals('rate')
  type!: 'rate';

  @IsString()
  @Length(1, 20)
  asset!: string;

  @IsDecimalString({ positive: true })
  jpy!: string;

  @IsZonedTime()
  at!: string;
}
