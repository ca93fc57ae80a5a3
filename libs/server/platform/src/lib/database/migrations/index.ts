import { InitialSchema1795397555894 } from "./1795397555894-InitialSchema";
import { LearningCatalogAndAssessment1795404134861 } from "./1795404134861-LearningCatalogAndAssessment";
import { EnrolmentImportsAndOutbox1795414758999 } from "./1795414758999-EnrolmentImportsAndOutbox";
import { Certificates1795425302509 } from "./1795425302509-Certificates";
import { TrainingClasses1796161774521 } from "./1796161774521-TrainingClasses";
import { Compliance1796161844110 } from "./1796161844110-Compliance";
import { CertificateTemplatesAndClasses1796161893398 } from "./1796161893398-CertificateTemplatesAndClasses";
import { Reorganisation1796229577989 } from "./1796229577989-Reorganisation";
import { AuditAndOutboxScope1796231305942 } from "./1796231305942-AuditAndOutboxScope";
import { DeploymentWideGrants1796232000000 } from "./1796232000000-DeploymentWideGrants";
import { CourseAudience1796232100000 } from "./1796232100000-CourseAudience";
import { StoredFileOwners1796232400000 } from "./1796232400000-StoredFileOwners";

/** Every migration, in order. New ones are generated with `npm run migration:generate -- <PascalName>`. */
export const MIGRATIONS: Array<new () => unknown> = [
  InitialSchema1795397555894,
  LearningCatalogAndAssessment1795404134861,
  EnrolmentImportsAndOutbox1795414758999,
  Certificates1795425302509,
  TrainingClasses1796161774521,
  Compliance1796161844110,
  CertificateTemplatesAndClasses1796161893398,
  Reorganisation1796229577989,
  AuditAndOutboxScope1796231305942,
  DeploymentWideGrants1796232000000,
  CourseAudience1796232100000,
  StoredFileOwners1796232400000,
];
