import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { withContractSchemas } from './openapi-schemas';

/** Where the running screener serves its API document (and Swagger UI at /docs). */
export const OPENAPI_JSON_PATH = '/docs/openapi.json';

/** The screening API's document, generated from the controllers and the contract classes. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const base = new DocumentBuilder()
    .setTitle('sekimori screening API')
    .setDescription(
      'The checkpoint’s answer on request: the decision the stream would give a transfer now, before it is made, and the list entries of an address. Read-only; fails closed (503) while Redis or a required list is unavailable. See docs/integration.md.',
    )
    .setVersion('1')
    // Relative: the screener that serves this document (HTTP_HOST, HTTP_PORT), wherever it is.
    .addServer('/', 'The screener serving this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      // The keys are opaque tokens, not JWTs (Nest's default bearerFormat).
      bearerFormat: undefined,
      description: 'An opaque token whose SHA-256 digest is in SCREENING_API_KEYS',
    })
    .build();
  // As package.json says: the API is not published under a licence.
  base.info.license = { name: 'UNLICENSED' };
  const document = SwaggerModule.createDocument(app, base);
  // Only the API's own routes: health and metrics are for operators, documented in docs/operations.md.
  document.paths = Object.fromEntries(
    Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/')),
  );
  return withContractSchemas(document);
}

export function serveOpenApi(app: INestApplication): void {
  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, () => document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
