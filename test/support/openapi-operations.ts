import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

/** The parts of the API's OpenAPI document (GET /docs-json) that the generated tests read. */
export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: JsonSchema;
}

interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As documented, with `{name}` placeholders: `/api/v1/vehicles/{vin}`. */
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation the running API documents: a new route is in this list without anyone adding it. */
export async function documentedOperations(app: INestApplication): Promise<Operation[]> {
  const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
  const paths = (response.body as { paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>> }).paths;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      return [{ method, path, parameters: operation.parameters ?? [], body: operation.requestBody?.content?.['application/json']?.schema ?? null }];
    }),
  );
}

/** A string somewhere in a JSON body: its dotted path (array items as `.0`) and its schema. */
export interface StringField {
  path: string[];
  schema: JsonSchema;
}

/** Every string-typed leaf of a request body schema, through objects, arrays and unions. */
export function stringFieldsOf(schema: JsonSchema, path: string[] = []): StringField[] {
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  const nested = alternatives.flatMap((alternative) => stringFieldsOf(alternative, path));
  if (schema.type === 'string') return [{ path, schema }, ...nested];
  if (schema.type === 'array' && schema.items) return [...stringFieldsOf(schema.items, [...path, '0']), ...nested];
  const properties = Object.entries(schema.properties ?? {}).flatMap(([name, property]) => stringFieldsOf(property, [...path, name]));
  return [...properties, ...nested];
}

/** `{ a: { b: value } }` for the path ['a', 'b'] (arrays where the path says `0`). */
export function bodyWith(path: string[], value: string): unknown {
  return path.reduceRight<unknown>((inner, key) => (key === '0' ? [inner] : { [key]: inner }), value);
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the path parameter {${name}} of ${path}`);
    return value;
  });
}
