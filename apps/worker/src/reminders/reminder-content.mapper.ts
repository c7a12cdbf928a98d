// Stored predictions -> the findings a reminder is about, and the structured content it stores.
import type { Prisma } from '#app/database';
import type { ComponentAssessment, ComponentName, Finding } from '#app/maintenance';
import { RISKS } from '#app/maintenance/vocabulary';
import type { ReminderContent } from '#app/notifications';
import { z } from 'zod';
import type { CurrentFinding } from './reminder-evaluation.policy.js';

const findingSchema = z.object({
  code: z.string().min(1),
  subject: z.string(),
  risk: z.enum(RISKS),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

export interface StoredPrediction {
  component: ComponentName;
  findings: Prisma.JsonValue;
  dueAt: Date | null;
  dueOdometerKm: number | null;
  scoredAt?: Date;
}

/**
 * The findings of the stored predictions. A per-wheel forecast (params.dueDate / dueOdometerKm) is
 * more precise than the component's, which is the worst wheel's: one wheel's reminder should not
 * move because another wheel's forecast did.
 */
export function currentFindingsOf(predictions: readonly StoredPrediction[]): CurrentFinding[] {
  return predictions.flatMap((prediction) => {
    const parsed = z.array(findingSchema).safeParse(prediction.findings);
    if (!parsed.success) return [];
    return parsed.data.map((finding: Finding) => {
      const dueDate = typeof finding.params.dueDate === 'string' ? new Date(finding.params.dueDate) : undefined;
      const dueKm = typeof finding.params.dueOdometerKm === 'number' ? finding.params.dueOdometerKm : undefined;
      return {
        component: prediction.component,
        finding,
        dueAt: dueDate !== undefined && !Number.isNaN(dueDate.getTime()) ? dueDate : prediction.dueAt,
        dueOdometerKm: dueKm ?? prediction.dueOdometerKm,
        ...(prediction.scoredAt === undefined ? {} : { scoredAt: prediction.scoredAt }),
      };
    });
  });
}

/**
 * The findings the predictions of these assessments will show once saved (PredictionStore.save, `scoredAt` the
 * score's time): the stored row's shape, the findings through JSON as the save sends them to the jsonb column,
 * read back by currentFindingsOf, so a finding the stored row would drop (or keep) is dropped (or kept) here too.
 */
export function scoredFindingsOf(assessments: readonly ComponentAssessment[], scoredAt: Date): CurrentFinding[] {
  return currentFindingsOf(
    assessments.map((assessment) => ({
      component: assessment.component,
      findings: JSON.parse(JSON.stringify(assessment.findings)) as Prisma.JsonValue,
      dueAt: assessment.dueAt ?? null,
      dueOdometerKm: assessment.dueOdometerKm ?? null,
      scoredAt,
    })),
  );
}

/** A need as a ReminderItem's finding column (JSON: the params the texts show). */
export function findingJsonOf(finding: Finding): Prisma.InputJsonObject {
  const { code, subject, message, params } = finding;
  return JSON.parse(JSON.stringify({ code, subject, message, params })) as Prisma.InputJsonObject;
}

/** Reminder.content as JSON (dates as ISO strings), readable back with reminderContentSchema. */
export function contentJsonOf(content: ReminderContent): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(content)) as Prisma.InputJsonObject;
}
