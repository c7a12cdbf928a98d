import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { TransactionRunner } from '#app/database';
import { AppointmentRepository } from '../appointments/appointment.repository.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { centerScopeOf } from '../common/center-scope.js';
import { OwnerEventsPublisher } from '../events/owner-events.publisher.js';
import type { CenterScope, VehicleInScope } from '../common/vehicle-scope.model.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { VehicleNotFoundError } from '../vehicles/vehicle-not-found.error.js';
import type { CallListEntry, CallOutcomeView, RecordedCallOutcomeView } from './call-list.model.js';
import { callListVisibility, callStateOf, holdUntil, OUTCOME_HORIZON_MS } from './call-list.policy.js';
import { CallListPageCache } from './call-list-page.cache.js';
import { CallListRepository } from './call-list.repository.js';
import type { CallOutcomeHistoryQuery, RecordCallOutcomeRequest } from './call-outcome.schema.js';
import { VehicleNotScoredError } from './vehicle-not-scored.error.js';

@Injectable()
export class CallListService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly vehicles: VehicleRepository,
    private readonly calls: CallListRepository,
    private readonly appointments: AppointmentRepository,
    private readonly audit: AuditRepository,
    private readonly events: OwnerEventsPublisher,
    private readonly pages: CallListPageCache,
  ) {}

  /**
   * Records what a call came to, with the car's prediction as it stands (so a worse one later brings the car
   * back), its audit line, and for a BOOKED call with a slot, the confirmed appointment: all or nothing.
   */
  async record(user: RequestUser, vin: string, request: RecordCallOutcomeRequest, now = new Date()): Promise<RecordedCallOutcomeView> {
    const scope = centerScopeOf(user);
    const vehicle = await this.vehicleInScope(scope, vin);
    const recorded = await this.transactions.run(async (tx) => {
      const state = callStateOf(await this.calls.predictionsOf(tx, vehicle));
      // A car never scored is not on the call list: there is nothing to have called about.
      if (state === null) throw new VehicleNotScoredError(vehicle.vin);
      const call = await this.calls.create(tx, scope, vehicle, {
        staffId: user.userId,
        outcome: request.outcome,
        note: request.note ?? null,
        callAgainAt: request.callAgainAt ?? null,
        stateAtCall: state,
      });
      const appointment =
        request.appointmentAt === undefined
          ? null
          : await this.appointments.createConfirmed(tx, scope, vehicle, { scheduledAt: request.appointmentAt, notes: request.note ?? null, now });
      await this.audit.record(tx, {
        serviceCenterId: scope.serviceCenterId,
        vehicleId: vehicle.id,
        actorId: user.userId,
        action: `call.${request.outcome}`,
        callOutcomeId: call.id,
        ...(appointment ? { appointmentId: appointment.id } : {}),
        detail: {
          note: call.note,
          callAgainAt: call.callAgainAt,
          riskAtCall: call.riskAtCall,
          ...(appointment ? { appointmentScheduledAt: request.appointmentAt?.toISOString() ?? null } : {}),
        },
      });
      const hiddenUntil = holdUntil({ outcome: call.outcome, at: new Date(call.createdAt), callAgainAt: request.callAgainAt ?? null });
      return { ...call, hiddenUntil: hiddenUntil.toISOString(), appointmentId: appointment?.id ?? null };
    });
    // After the commit: the dashboard draws the list again at once and the car must have moved.
    this.pages.invalidate(scope.serviceCenterId);
    // The owner's open sessions hear of the slot agreed on the phone, after the commit, as of a confirmation.
    if (recorded.appointmentId !== null) await this.events.publish([{ kind: 'confirmed', appointmentId: recorded.appointmentId }], now);
    return recorded;
  }

  async history(user: RequestUser, vin: string, query: CallOutcomeHistoryQuery): Promise<{ vin: string; items: CallOutcomeView[] }> {
    const scope = centerScopeOf(user);
    const vehicle = await this.vehicleInScope(scope, vin);
    return { vin: vehicle.vin, items: await this.calls.history(scope, vehicle, query.limit) };
  }

  /**
   * The call-list state of each of the center's cars with a recent outcome (by vehicle id): the dashboard leaves
   * out those held, and shows the rest with their last call.
   */
  async entries(scope: CenterScope, now: Date): Promise<Map<string, CallListEntry>> {
    const latest = await this.calls.latestSince(scope, new Date(now.getTime() - OUTCOME_HORIZON_MS));
    const predictions = await this.calls.currentPredictions(
      scope,
      latest.map((call) => call.vehicleId),
    );
    const entries = new Map<string, CallListEntry>();
    for (const { vehicleId, findingKeys, ...lastCall } of latest) {
      const state = callStateOf(predictions.filter((prediction) => prediction.vehicleId === vehicleId));
      if (state === null) continue;
      const visibility = callListVisibility(
        state,
        {
          outcome: lastCall.outcome,
          at: new Date(lastCall.createdAt),
          callAgainAt: lastCall.callAgainAt === null ? null : new Date(lastCall.callAgainAt),
          stateAtCall: { risk: lastCall.riskAtCall, dueAt: lastCall.dueAtAtCall === null ? null : new Date(lastCall.dueAtAtCall), findingKeys },
        },
        now,
      );
      entries.set(vehicleId, {
        lastCall,
        hiddenUntil: visibility.visible ? null : visibility.until.toISOString(),
        resurfaced: visibility.visible ? visibility.reason : null,
      });
    }
    return entries;
  }

  private async vehicleInScope(scope: CenterScope, vin: string): Promise<VehicleInScope> {
    const vehicle = await this.vehicles.findInScope(scope, vin);
    if (!vehicle) throw new VehicleNotFoundError(vin);
    return vehicle;
  }
}
