/**
 * Training classes (in-person / online / blended), owned by the scheduling domain.
 * Only the event that crosses domains lives here for now; the scheduling domain adds its DTO shapes.
 */

/** Published on the `events` queue (job id = completion id: once) when a registrant meets a class's completion rule. */
export interface ClassCompletedEvent {
  /** Id of the class completion record (unique per person and class). */
  completionId: string;
  personId: string;
  classId: string;
  /** The linked course, when the class has one (its certificate and compliance credit follow the course). */
  courseId: string | null;
  classTitle: string;
  /** Periods ("tiết") credited by the class. */
  periods: number;
  completedAt: string;
  /** Calendar year of the completion in Asia/Ho_Chi_Minh. */
  trainingYear: number;
}
