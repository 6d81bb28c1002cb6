import { useRoute } from '../../router';
import { KNOWLEDGE_PATH } from './access';
import { KbDetail } from './kb-detail';
import { KbList } from './kb-list';

/** `/knowledge`: the org's knowledge bases; `/knowledge/{id}`: one of them. */
export function KnowledgePage() {
  const { path } = useRoute();
  const rest = path.startsWith(`${KNOWLEDGE_PATH}/`) ? decodeURIComponent(path.slice(KNOWLEDGE_PATH.length + 1)) : '';
  return rest ? <KbDetail key={rest} kbId={rest} /> : <KbList />;
}
