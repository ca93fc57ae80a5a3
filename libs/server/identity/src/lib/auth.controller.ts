import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LoginResponse, MeResponse, Role, RoleGrant } from '@dxtrain/shared/contracts';
import { Actor, AppConfig, CurrentActor, HttpReply, HttpRequest, isHttps, Public, RequireRoles, SignedIn } from '@dxtrain/server/platform';
import { AuthService, IssuedSession, LoginThrottledException } from './auth.service';
import { CreateGrantDto, CreateUserDto, LoginDto } from './dto/auth.dto';
import { DEVICE_COOKIE_DAYS } from './login-throttle.service';
import { UsersService, UserWithGrants } from './users.service';

export const REFRESH_COOKIE = 'dxtrain_refresh';
export const DEVICE_COOKIE = 'dxtrain_device';
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/;
const COOKIE_PATH = '/api/auth';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Secure when configured or when the request came over HTTPS (behind a trusted proxy too: X-Forwarded-Proto). */
  private setCookie(req: HttpRequest, res: HttpReply, session: IssuedSession): LoginResponse {
    res.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      secure: this.config.COOKIE_SECURE || isHttps(req),
      sameSite: 'strict',
      path: COOKIE_PATH,
      expires: session.refreshExpiresAt,
    });
    return session.response;
  }

  /**
   * The device cookie: a random opaque id, set on the first sign-in attempt without a valid one. It names
   * the source for throttling (a device that signed in to an account before keeps its own failure count).
   * Secure when configured or when the request came over HTTPS (`req.protocol` honours X-Forwarded-Proto
   * from the proxies trusted by TRUST_PROXY_HOPS).
   */
  private deviceId(req: HttpRequest, res: HttpReply): string {
    const current = req.cookies?.[DEVICE_COOKIE];
    if (typeof current === 'string' && DEVICE_ID.test(current)) return current;
    const id = randomBytes(32).toString('base64url');
    res.setCookie(DEVICE_COOKIE, id, {
      httpOnly: true,
      secure: this.config.COOKIE_SECURE || isHttps(req),
      sameSite: 'strict',
      path: COOKIE_PATH,
      // Max-Age in seconds (@fastify/cookie) and Expires, as Express wrote both.
      maxAge: DEVICE_COOKIE_DAYS * 86400,
      expires: new Date(Date.now() + DEVICE_COOKIE_DAYS * 86400_000),
    });
    return id;
  }

  /**
   * Username + password → access token; the refresh token goes into an httpOnly cookie. A delayed
   * source gets 429 `AUTH_TOO_MANY_ATTEMPTS` with `retryAfterSeconds` in the details and Retry-After.
   */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<LoginResponse> {
    const source = { ip: req.ip ?? null, deviceId: this.deviceId(req, res) };
    try {
      return this.setCookie(req, res, await this.auth.login(dto.username, dto.password, source));
    } catch (e) {
      if (e instanceof LoginThrottledException) res.header('Retry-After', String(e.retryAfterSeconds));
      throw e;
    }
  }

  /** Rotates the refresh cookie and returns a new access token. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<LoginResponse> {
    return this.setCookie(req, res, await this.auth.refresh(req.cookies?.[REFRESH_COOKIE]));
  }

  /** Revokes the refresh token family and clears the cookie. Public so an expired session can still sign out. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<void> {
    await this.auth.logout(req.cookies?.[REFRESH_COOKIE]);
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
    // The lesson-file viewer cookie (catalog: `dxtrain_viewer` on /api/files) must not outlive the session on a shared browser.
    res.clearCookie('dxtrain_viewer', { path: '/api/files' });
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  /** The signed-in user, their person record and their role grants. */
  @SignedIn('own')

  @Get()
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.users.me(actor);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@RequireRoles(Role.Admin)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@CurrentActor() actor: Actor): Promise<UserWithGrants[]> {
    return this.users.list(actor);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserWithGrants> {
    return this.users.createUser(actor, dto);
  }

  @Post(':id/grants')
  addGrant(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateGrantDto): Promise<RoleGrant> {
    return this.users.addGrant(actor, id, dto);
  }

  @Delete(':id/grants/:grantId')
  @HttpCode(204)
  revokeGrant(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('grantId', ParseUUIDPipe) grantId: string): Promise<void> {
    return this.users.revokeGrant(actor, id, grantId);
  }
}
