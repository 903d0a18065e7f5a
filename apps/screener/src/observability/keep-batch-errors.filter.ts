import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { type Observable, throwError } from 'rxjs';

/**
 * Lets a batch handler's error reach the batch consumer unchanged.
 *
 * Nest's default RPC filter replaces any error that is not an RpcException with
 * `{ status: 'error', message: 'Internal server error' }` (BaseRpcExceptionFilter
 * .handleUnknownError). The consumer would then see neither the code (`LIST_MISSING`,
 * `REDIS_UNAVAILABLE`) nor whether the error is retriable, and would log a held batch as an
 * unknown error. HTTP requests keep Nest's default handling.
 */
@Catch()
export class KeepBatchErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    super.catch(exception, host);
  }
}
