/**
 * Vocabulary for the retrieval bench's synthetic corpus: the kind of mixed Chinese/English text a
 * platform team's knowledge base holds (runbooks, design notes, FAQs). Each topic has its own
 * terms so that BM25 postings have a realistic skew: a few general words occur in most chunks,
 * topic words in a sixteenth of them, and codes and numbers in very few.
 */

export interface Topic {
  zh: string;
  en: string;
  zhWords: readonly string[];
  enWords: readonly string[];
}

export const TOPICS: readonly Topic[] = [
  {
    zh: '网关路由', en: 'gateway routing',
    zhWords: ['网关', '路由', '供应商', '故障转移', '负载均衡', '权重', '上游', '转发', '回退', '健康检查', '熔断', '部署'],
    enWords: ['gateway', 'routing', 'provider', 'failover', 'upstream', 'fallback', 'weight', 'balancer', 'deployment', 'circuit', 'breaker', 'proxy'],
  },
  {
    zh: '限流配额', en: 'rate limits',
    zhWords: ['限流', '配额', '令牌桶', '并发', '窗口', '突发', '租户', '拒绝', '排队', '阈值', '滑动', '预算'],
    enWords: ['limit', 'quota', 'bucket', 'concurrency', 'window', 'burst', 'tenant', 'throttle', 'queue', 'threshold', 'rpm', 'tpm'],
  },
  {
    zh: '计费账单', en: 'billing',
    zhWords: ['计费', '账单', '价格', '用量', '结算', '发票', '余额', '充值', '折扣', '币种', '明细', '对账'],
    enWords: ['billing', 'invoice', 'price', 'usage', 'settlement', 'balance', 'credit', 'discount', 'currency', 'ledger', 'meter', 'charge'],
  },
  {
    zh: '知识库', en: 'knowledge base',
    zhWords: ['知识库', '文档', '切分', '片段', '检索', '召回', '重排', '引用', '上下文', '增强', '摘要', '标题'],
    enWords: ['knowledge', 'document', 'chunk', 'retrieval', 'recall', 'rerank', 'citation', 'context', 'passage', 'grounding', 'snippet', 'corpus'],
  },
  {
    zh: '向量检索', en: 'vector search',
    zhWords: ['向量', '嵌入', '维度', '余弦', '相似度', '近邻', '索引', '量化', '归一化', '距离', '聚类', '图结构'],
    enWords: ['vector', 'embedding', 'dimension', 'cosine', 'similarity', 'neighbour', 'hnsw', 'quantization', 'distance', 'cluster', 'graph', 'ann'],
  },
  {
    zh: '部署运维', en: 'deployment',
    zhWords: ['容器', '镜像', '集群', '节点', '副本', '滚动', '升级', '回滚', '编排', '存储卷', '资源', '调度'],
    enWords: ['docker', 'image', 'cluster', 'node', 'replica', 'rollout', 'upgrade', 'rollback', 'kubernetes', 'volume', 'helm', 'scheduler'],
  },
  {
    zh: '鉴权密钥', en: 'authentication',
    zhWords: ['鉴权', '密钥', '令牌', '签名', '权限', '角色', '组织', '吊销', '轮换', '哈希', '会话', '审计'],
    enWords: ['auth', 'key', 'token', 'signature', 'permission', 'role', 'organisation', 'revoke', 'rotate', 'hash', 'session', 'audit'],
  },
  {
    zh: '流式输出', en: 'streaming',
    zhWords: ['流式', '事件', '首字', '延迟', '分块', '缓冲', '连接', '断开', '心跳', '推送', '背压', '完成'],
    enWords: ['stream', 'event', 'sse', 'latency', 'ttft', 'buffer', 'connection', 'disconnect', 'heartbeat', 'push', 'backpressure', 'delta'],
  },
  {
    zh: '监控告警', en: 'monitoring',
    zhWords: ['监控', '指标', '告警', '日志', '链路', '追踪', '仪表盘', '采样', '分位数', '错误率', '吞吐', '容量'],
    enWords: ['monitoring', 'metric', 'alert', 'log', 'trace', 'dashboard', 'prometheus', 'sample', 'percentile', 'throughput', 'capacity', 'span'],
  },
  {
    zh: '数据存储', en: 'storage',
    zhWords: ['数据库', '事务', '索引', '迁移', '备份', '恢复', '分片', '主从', '快照', '写入', '查询', '连接池'],
    enWords: ['database', 'transaction', 'migration', 'backup', 'restore', 'shard', 'replication', 'snapshot', 'postgres', 'sqlite', 'query', 'pool'],
  },
  {
    zh: '模型训练', en: 'fine-tuning',
    zhWords: ['训练', '微调', '数据集', '样本', '标注', '损失', '轮次', '学习率', '过拟合', '验证集', '权重', '检查点'],
    enWords: ['training', 'finetune', 'dataset', 'sample', 'label', 'loss', 'epoch', 'learning', 'overfit', 'validation', 'checkpoint', 'lora'],
  },
  {
    zh: '推理服务', en: 'inference',
    zhWords: ['推理', '显卡', '显存', '批处理', '吞吐量', '量化', '上下文长度', '采样', '温度', '解码', '缓存', '并行'],
    enWords: ['inference', 'gpu', 'memory', 'batch', 'quantized', 'context', 'sampling', 'temperature', 'decode', 'kv', 'cache', 'parallel'],
  },
  {
    zh: '安全防护', en: 'security',
    zhWords: ['安全', '内网', '地址', '白名单', '注入', '越权', '加密', '脱敏', '漏洞', '防护', '证书', '隔离'],
    enWords: ['security', 'ssrf', 'address', 'allowlist', 'injection', 'encryption', 'redaction', 'vulnerability', 'certificate', 'tls', 'isolation', 'sandbox'],
  },
  {
    zh: '文档解析', en: 'parsing',
    zhWords: ['解析', '格式', '表格', '段落', '页码', '编码', '标记', '抽取', '文本', '附件', '扫描', '目录'],
    enWords: ['parse', 'format', 'table', 'paragraph', 'page', 'encoding', 'markdown', 'extract', 'pdf', 'docx', 'html', 'csv'],
  },
  {
    zh: '效果评测', en: 'evaluation',
    zhWords: ['评测', '基准', '准确率', '打分', '对比', '人工', '自动化', '指标体系', '回归', '样例', '裁判', '报告'],
    enWords: ['evaluation', 'benchmark', 'accuracy', 'score', 'comparison', 'human', 'judge', 'regression', 'example', 'rubric', 'report', 'baseline'],
  },
  {
    zh: '缓存加速', en: 'caching',
    zhWords: ['缓存', '命中率', '过期', '失效', '预热', '淘汰', '一致性', '键值', '本地', '分布式', '穿透', '雪崩'],
    enWords: ['cache', 'hit', 'ttl', 'expiry', 'invalidate', 'warmup', 'eviction', 'consistency', 'redis', 'local', 'distributed', 'stampede'],
  },
];

export const GENERAL_ZH: readonly string[] = [
  '系统', '用户', '请求', '配置', '支持', '需要', '可以', '通过', '使用', '提供', '默认', '设置', '服务', '数据',
  '模型', '接口', '功能', '性能', '问题', '时间', '返回', '结果', '参数', '过程', '管理', '实现', '检查', '自动',
  '每个', '如果', '然后', '因此', '同时', '对于', '所有', '多个', '当前', '这个', '我们', '可能', '已经', '之后',
  '之前', '进行', '处理', '保存', '更新', '删除', '创建', '读取', '调用', '记录', '失败', '成功', '错误', '重试',
  '超时', '版本', '环境', '文件', '平台', '团队', '建议', '注意', '例如', '说明', '步骤', '方式', '情况', '影响',
];

export const GENERAL_EN: readonly string[] = [
  'the', 'a', 'to', 'of', 'and', 'in', 'is', 'for', 'with', 'on', 'when', 'then', 'because', 'all', 'each',
  'system', 'user', 'request', 'config', 'support', 'default', 'service', 'data', 'model', 'interface', 'feature',
  'performance', 'issue', 'time', 'returns', 'result', 'parameter', 'process', 'manage', 'check', 'automatic',
  'multiple', 'current', 'we', 'can', 'should', 'may', 'after', 'before', 'handles', 'saves', 'updates', 'deletes',
  'creates', 'reads', 'calls', 'records', 'fails', 'succeeds', 'error', 'retry', 'timeout', 'version', 'environment',
  'file', 'platform', 'team', 'note', 'example', 'step', 'setting', 'value', 'first', 'only', 'every', 'new',
];

/** Literal tokens that make chunks look like runbooks: codes, units, identifiers. */
export const CODES: readonly string[] = [
  'HTTP 429', 'HTTP 503', 'p99', 'p50', '200 ms', '30 s', '4096 tokens', 'API', 'SDK', 'JSON', 'YAML', 'v2',
  'E4031', 'E5002', 'gpt-4o', 'qwen2.5', 'bge-m3', '/v1/chat/completions', 'max_tokens', 'top_k', 'BAIMO_HOME', '2 vCPU',
];
