import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * The OpenAPI schema of what a client sends (io: 'input'), so one zod schema both validates the
 * request and documents it. Transforms cannot be described and are left out ('any').
 */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return toOpenApi(schema, 'input');
}

/** The OpenAPI schema of what the API answers (io: 'output'): the shape a client reads. */
export function openApiResponseSchema(schema: z.ZodType): SchemaObject {
  return toOpenApi(schema, 'output');
}

function toOpenApi(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  // $schema is a JSON Schema dialect marker, not an OpenAPI schema keyword.
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

/** @ApiBody from a zod schema. */
export function ApiZodBody(schema: z.ZodType): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema) });
}

/** One @ApiQuery per property of a zod object schema. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const json = openApiSchema(schema);
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) => ApiQuery({ name, required: required.has(name), schema: property })),
  );
}
