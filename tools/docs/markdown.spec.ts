import { githubSlug, githubSlugs, markdownLinks, markdownTables } from './markdown';

describe('markdown helpers of the docs test', () => {
  it("makes GitHub's anchors", () => {
    expect(githubSlug('Limits (what is not guaranteed)')).toBe('limits-what-is-not-guaranteed');
    expect(githubSlug('What RabbitMQ 4.0 changes, and what the project does about it')).toBe('what-rabbitmq-40-changes-and-what-the-project-does-about-it');
    expect(githubSlug('Map: which folder owns which guarantee')).toBe('map-which-folder-owns-which-guarantee');
    expect(githubSlug('`AMQP_QUEUE_TYPE` and [links](x.md)')).toBe('amqp_queue_type-and-links');
    expect(githubSlug('Dependency down — pause')).toBe('dependency-down--pause');
    expect([...githubSlugs('# A\n## B\n```\n# not a heading\n```\n## B\n')]).toEqual(['a', 'b', 'b-1']);
  });

  it('finds links outside code only', () => {
    expect(markdownLinks('see [a](a.md#x) and `[b](b.md)`\n```\n[c](c.md)\n```\n![i](i.png)').map((l) => l.target)).toEqual(['a.md#x', 'i.png']);
  });

  it('reads pipe tables', () => {
    expect(markdownTables('| A | B |\n|---|---|\n| `x` | y \\| z |\n\ntext')).toEqual([{ header: ['A', 'B'], rows: [['`x`', 'y \\| z']] }]);
  });
});
