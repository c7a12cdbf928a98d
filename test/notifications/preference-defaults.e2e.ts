import { randomUUID } from 'node:crypto';
import { loadApiConfig } from '#app/config';
import { type Prisma, PrismaService } from '#app/database';
import { DEFAULT_TIME_ZONE, REMINDER_EVENT_INCLUDE, reminderAudienceEvents } from '#app/notifications';
import { renderReminderView } from '../../apps/api/src/reminders/reminder-view.renderer.js';
import { ReminderRepository, reminderViewInclude } from '../../apps/api/src/reminders/reminder.repository.js';
import { deliveryMessageOf } from '../../apps/worker/src/delivery/delivery-message.renderer.js';
import { createFleet } from '../support/fixtures.js';
import { reminderContent } from './support/reminder.factory.js';

// 20:00 UTC on 3 December is already 4 December in Shanghai: a reader in the wrong zone shows another day.
const DUE_AT = '2026-12-03T20:00:00.000Z';
const LOCAL_DUE_DATE = 'Due by 4 Dec 2026';
const UTC_DUE_DATE = 'Due by 3 Dec 2026';

/**
 * An owner who never saved preferences: the API's reminder view, the worker's delivery text (e-mail, push,
 * webhook and in-app share it) and the live in-app event read the same stored rows and must all render the
 * due date in the one default zone (they each had their own fallback: Asia/Shanghai in the app, UTC elsewhere).
 */
describe('notification preference defaults', () => {
  const config = loadApiConfig();
  const prisma = new PrismaService(config);

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it('renders the same local due date in the app view, the delivered message and the live event', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicleId = fleet.vehicles.at(0)?.id ?? '';
    expect(await prisma.notificationPreference.findUnique({ where: { userId: fleet.ownerId } })).toBeNull();
    const { timeZone: _stored, ...content } = reminderContent({ dueAt: DUE_AT, link: null });
    const created = await prisma.reminder.create({
      data: {
        vehicleId,
        ownerId: fleet.ownerId,
        serviceCenterId: fleet.serviceCenterId,
        component: 'TIRES',
        dedupKey: `${vehicleId}:TIRES:TIRE_SLOW_LEAK:FL:${randomUUID()}`,
        visitKey: `${vehicleId}:visit:TIRES:${randomUUID()}`,
        risk: 'URGENT',
        dueAt: new Date(DUE_AT),
        content: JSON.parse(JSON.stringify(content)) as Prisma.InputJsonObject,
      },
    });

    // The API: the owner's reminder feed.
    const repository = new ReminderRepository(prisma);
    const reader = await repository.readerOf({ kind: 'account', userId: fleet.ownerId });
    const row = await prisma.reminder.findUniqueOrThrow({ where: { id: created.id }, include: reminderViewInclude });
    const view = renderReminderView(row, reader);
    // The worker: the text of every channel of a delivery, read as the delivery service reads it.
    const delivered = await prisma.reminder.findUniqueOrThrow({
      where: { id: created.id },
      include: { owner: { select: { email: true, preference: true } } },
    });
    const message = deliveryMessageOf(delivered, 'https://app.carhealth.example/');
    // The live event the owner's open app receives.
    const eventRow = await prisma.reminder.findUniqueOrThrow({ where: { id: created.id }, include: REMINDER_EVENT_INCLUDE });
    const events = reminderAudienceEvents('created', eventRow, new Date());
    const eventText = events.find(({ audience }) => audience === fleet.ownerId)?.event.text;

    expect(reader).toEqual({ language: 'en', timeZone: DEFAULT_TIME_ZONE });
    expect(eventText).toBeDefined();
    for (const text of [view.text, message.text, eventText]) {
      expect(text).toContain(LOCAL_DUE_DATE);
      expect(text).not.toContain(UTC_DUE_DATE);
    }
    // The delivered text adds only the link to the app.
    expect(message.text).toBe(`${view.text}\nOpen in the app: https://app.carhealth.example/#reminder/${created.id}`);
    expect(eventText).toBe(view.text);
    expect(message.title).toBe(view.title);
  });
});
