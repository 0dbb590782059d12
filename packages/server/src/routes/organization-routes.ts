import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { presentOrganization } from '../presenters/organization-presenter.ts';
import { presentUser } from '../presenters/user-presenter.ts';

const tags = ['organizations'];

const CreateOrgBody = Type.Object(
  {
    slug: Type.String({ minLength: 2, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    admin: Type.Optional(
      Type.Object(
        {
          email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' }),
          username: Type.Optional(Type.String({ minLength: 1, maxLength: 150, pattern: '^[^\\s]+$' })),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
          display_name: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Organizations (tenants): instance administrators list and create them. */
export async function organizationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/organizations',
    { config: { permission: 'organizations:manage' }, schema: { tags, summary: 'List organizations' } },
    async () => ({ items: (await ctx.identity.organizations.list()).map(presentOrganization) }),
  );

  app.post(
    '/api/v1/organizations',
    {
      config: {
        permission: 'organizations:manage',
        audit: { action: 'organization.create', target: 'organization' },
      },
      schema: {
        tags,
        summary: 'Create an organization, optionally with its first admin',
        body: CreateOrgBody,
      },
    },
    async (request, reply) => {
      const body = request.body as typeof CreateOrgBody.static;
      const { org, admin } = await ctx.identity.organizations.create(body);
      noteAudit(request, { targetId: org.id, details: { slug: org.slug } });
      return reply
        .status(201)
        .send({ ...presentOrganization(org), admin: admin ? presentUser(admin) : null });
    },
  );
}
