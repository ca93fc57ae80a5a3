export { COURSE_EDITOR_ROLES } from '@dxtrain/shared/contracts';
