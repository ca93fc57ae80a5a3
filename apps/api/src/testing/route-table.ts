import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { Role } from '@dxtrain/shared/contracts';
import { IS_PUBLIC_KEY, REQUIRED_ROLES_KEY, SIGNED_IN_KEY } from '@dxtrain/server/platform';
import { TestApp } from './test-app';

/** One route of the live app, with what its declaration says (public, roles) and the DTO classes of its body and query. */
export interface LiveRoute {
  method: string;
  path: string;
  isPublic: boolean;
  /** Roles of @RequireRoles (method over class); null = none declared. */
  roles: Role[] | null;
  /** @SignedIn(scope): any signed-in user, narrowed by the service as `scope` says; null = not declared. */
  signedIn: string | null;
  body: (new () => object) | null;
  query: (new () => object) | null;
  /** Takes an uploaded file (multipart). */
  upload: boolean;
}

/** Walks every controller of the running app (DiscoveryService): the route table the matrix and the guard tests use. */
export function liveRoutes(t: TestApp): LiveRoute[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const reflector = t.app.get(Reflector);
  const routes: LiveRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '').replace(/^\/|\/$/g, '');
    const proto = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = ['/api', base, String(sub).replace(/^\/|\/$/g, '')].filter(Boolean).join('/');
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, metatype]) === true;
      const roles = reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES_KEY, [handler, metatype]) ?? null;
      const signedIn = reflector.getAllAndOverride<string | undefined>(SIGNED_IN_KEY, [handler, metatype]) ?? null;
      const types = (Reflect.getMetadata('design:paramtypes', proto, name) ?? []) as Array<new () => object>;
      // ROUTE_ARGS_METADATA keys are `${paramtype}:${index}` per method: read them from the method's own metadata.
      const own = (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
      const ofKind = (kind: RouteParamtypes) => Object.entries(own).filter(([key]) => key.split(':')[0] === String(kind)).map(([, v]) => v);
      const dto = (kind: RouteParamtypes) => {
        const arg = ofKind(kind).find((a) => a.data === undefined);
        const type = arg ? types[arg.index] : undefined;
        return type && ![Object, String, Number, Boolean, Array].includes(type as unknown as ObjectConstructor) ? type : null;
      };
      routes.push({ method, path, isPublic, roles, signedIn, body: dto(RouteParamtypes.BODY), query: dto(RouteParamtypes.QUERY), upload: ofKind(RouteParamtypes.FILE).length > 0 });
    }
  }
  return routes;
}

interface Synth {
  /** Value for a uuid property, by its name (orgUnitId, personId, courseId…). */
  uuid(property: string): string;
  today: Date;
}

/**
 * A minimal valid instance of a request DTO, from its class-validator rules: required properties only, each with a
 * value of the right kind (uuids chosen by the caller by property name, so a request can point at another province).
 */
export function synthesise(dto: (new () => object) | null, s: Synth): Record<string, unknown> {
  if (!dto) return {};
  const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, typeof metas>();
  for (const m of metas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const out: Record<string, unknown> = {};
  for (const [property, rules] of byProperty) {
    const names = new Set(rules.map((r) => (r.type === 'customValidation' ? String(r.name ?? '') : r.type)));
    if (names.has('conditionalValidation') || rules.some((r) => r.type === 'conditionalValidation')) continue; // @IsOptional / @ValidateIf
    const constraint = (name: string) => rules.find((r) => r.name === name)?.constraints ?? [];
    const each = rules.some((r) => r.each);
    let value: unknown;
    if (names.has('isUuid')) value = s.uuid(property);
    else if (names.has('isIn')) value = (constraint('isIn')[0] as unknown[])[0];
    else if (names.has('isEnum')) value = Object.values(constraint('isEnum')[0] as object)[0];
    else if (names.has('isInt') || names.has('isNumber')) value = /year/i.test(property) ? s.today.getFullYear() : Math.max(1, Number(constraint('min')[0] ?? 1));
    else if (names.has('isBoolean')) value = true;
    else if (names.has('isEmail')) value = 'kiem.thu@example.gov.vn';
    else if (names.has('isDateString') || names.has('isIso8601')) value = new Date(s.today.getTime() + 86400_000).toISOString();
    else if (names.has('isObject')) value = property === 'definition' ? { type: 'true_false', text: 'Câu kiểm thử', correct: true, points: 1, tags: [] } : {};
    else if (names.has('matches')) value = 'KT1';
    else if (names.has('isString') || names.has('isNotEmpty')) value = property === 'code' ? `KT-${Math.random().toString(36).slice(2, 8)}` : 'Kiểm thử phạm vi';
    else if (names.has('isArray')) value = [];
    else continue;
    out[property] = each && !Array.isArray(value) ? [value] : value;
  }
  return out;
}
