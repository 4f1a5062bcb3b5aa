/**
 * What the team defines on the dashboard: conversion goals, funnels and experiments. Stored by
 * the server (shared by everyone) and cached by the app for offline use.
 */
import * as z from 'zod';
import { ANALYTICS_EVENT_TYPES, AnalyticsScreen, type AnalyticsEventType } from './events';

const Key = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, 'lowercase letters, digits and dashes');

export const StepDefinition = z
  .object({
    type: z.enum(ANALYTICS_EVENT_TYPES as [AnalyticsEventType, ...AnalyticsEventType[]]),
    screen: AnalyticsScreen.optional(),
  })
  .strict();

export const GoalDefinition = z
  .object({
    kind: z.literal('goal'),
    key: Key,
    name: z.string().min(1).max(80),
    step: StepDefinition,
  })
  .strict();

export const FunnelDefinition = z
  .object({
    kind: z.literal('funnel'),
    key: Key,
    name: z.string().min(1).max(80),
    steps: z.array(StepDefinition).min(2).max(8),
    windowMs: z
      .number()
      .int()
      .min(60_000)
      .max(90 * 86_400_000),
  })
  .strict();

export const ExperimentVariant = z.object({ key: Key, weight: z.number().min(0).max(1) }).strict();

export const ExperimentDefinitionSchema = z
  .object({
    kind: z.literal('experiment'),
    key: Key,
    name: z.string().min(1).max(80),
    variants: z.array(ExperimentVariant).min(2).max(6),
    coverage: z.number().min(0).max(1),
    /** Attribute → allowed values (platform, language, host); empty allows everyone. */
    targeting: z
      .object({
        platform: z.array(z.string().max(16)).max(8).optional(),
        language: z.array(z.string().max(16)).max(8).optional(),
        host: z.array(z.string().max(16)).max(8).optional(),
      })
      .strict(),
    /** The goal (its key) the experiment is judged on. */
    goal: Key,
    /** Users per variant it was planned for; results before that carry a warning. */
    plannedUsersPerVariant: z.number().int().min(0).max(100_000_000),
    status: z.enum(['draft', 'running', 'stopped', 'shipped']),
    shipped: Key.nullable(),
    /** GrowthBook's hash version for assignment; absent means 1, as in GrowthBook. */
    hashVersion: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .strict()
  .refine((e) => new Set(e.variants.map((v) => v.key)).size === e.variants.length, {
    message: 'variant keys must differ',
  })
  .refine((e) => Math.abs(e.variants.reduce((s, v) => s + v.weight, 0) - 1) < 0.01, {
    message: 'variant weights must add up to 1',
  })
  .refine((e) => e.shipped === null || e.variants.some((v) => v.key === e.shipped), {
    message: 'the shipped variant must be one of the variants',
  });

export const AnalyticsDefinition = z.discriminatedUnion('kind', [
  GoalDefinition,
  FunnelDefinition,
  ExperimentDefinitionSchema,
]);
export type AnalyticsDefinition = z.infer<typeof AnalyticsDefinition>;
export type GoalDefinition = z.infer<typeof GoalDefinition>;
export type FunnelDefinition = z.infer<typeof FunnelDefinition>;
export type ExperimentConfig = z.infer<typeof ExperimentDefinitionSchema>;
