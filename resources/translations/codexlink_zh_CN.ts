<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>Green check: Codex will start fast.</source>
        <translation>绿色对勾：Codex 会很快启动。</translation>
    </message>
    <message>
        <source>Green H: Codex uses HTTP only, and it works.</source>
        <translation>绿色 H：Codex 正在仅用 HTTP，而且能用。</translation>
    </message>
    <message>
        <source>Amber triangle: WebSocket is blocked, so Codex would start slowly. “Use HTTP only” fixes it with one click.</source>
        <translation>琥珀色三角：WebSocket 不通，Codex 会启动很慢。点一下“仅用 HTTP”即可解决。</translation>
    </message>
    <message>
        <source>Red octagon: Codex cannot reach its server at all.</source>
        <translation>红色八边形：Codex 完全连不上它的服务器。</translation>
    </message>
    <message>
        <source>Grey dash: no network.</source>
        <translation>灰色横线：没有网络。</translation>
    </message>
    <message>
        <source>Grey ring: checking. A faded icon: the result is out of date.</source>
        <translation>灰色圆环：正在检查。图标变淡：结果已过时。</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Codex Link</source>
        <translation>关于 Codex Link</translation>
    </message>
    <message>
        <source>Codex Link {version}</source>
        <translation>Codex Link {version}</translation>
    </message>
    <message>
        <source>Tells, in plain words, whether OpenAI Codex will start quickly on this network, and switches Codex to HTTP only (and back) without damaging its settings.</source>
        <translation>用通俗的话告诉你 OpenAI Codex 在当前网络下能否快速启动，并能把 Codex 切换为仅用 HTTP（也能切回去），不会损坏它的设置。</translation>
    </message>
    <message>
        <source>Help and documentation</source>
        <translation>帮助和文档</translation>
    </message>
    <message>
        <source>Report a problem</source>
        <translation>报告问题</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>Qt {qt}. MIT licence.</source>
        <translation>Qt {qt}。MIT 许可证。</translation>
    </message>
</context>
<context>
    <name>ChangeDialog</name>
    <message>
        <source>Codex Link will remove only what it added to {file}; your own edits stay.</source>
        <translation>Codex Link 只会删除它自己在 {file} 中添加的内容，你自己的修改会保留。</translation>
    </message>
    <message>
        <source>Restart Codex afterwards (the terminal command, the editor extension or the desktop app): it reads its settings only when it starts.</source>
        <translation>之后请重启 Codex（终端命令、编辑器扩展或桌面应用）：它只在启动时读取设置。</translation>
    </message>
    <message>
        <source>Running now:</source>
        <translation>正在运行：</translation>
    </message>
    <message>
        <source>Good to know:</source>
        <translation>请注意：</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>File: {file}</source>
        <translation>文件：{file}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ChangeFlow</name>
    <message>
        <source>Nothing was changed</source>
        <translation>没有做任何改动</translation>
    </message>
    <message>
        <source>Codex Link could not write the file ({problem}).</source>
        <translation>Codex Link 无法写入这个文件（{problem}）。</translation>
    </message>
    <message>
        <source>Codex in an editor or the desktop app</source>
        <translation>编辑器或桌面应用中的 Codex</translation>
    </message>
    <message>
        <source>Codex in a terminal ({command})</source>
        <translation>终端中的 Codex（{command}）</translation>
    </message>
</context>
<context>
    <name>CodexLink</name>
    <message>
        <source>it is not valid JSON</source>
        <translation>它不是有效的 JSON</translation>
    </message>
    <message>
        <source>it is not a JSON object</source>
        <translation>它不是 JSON 对象</translation>
    </message>
    <message>
        <source>its auth_mode is not one Codex knows</source>
        <translation>其中的 auth_mode 不是 Codex 认识的值</translation>
    </message>
    <message>
        <source>Codex cannot read its sign-in file ({reason}). Run &quot;codex login&quot; again. Until then the checks assume a ChatGPT sign-in.</source>
        <translation>Codex 无法读取它的登录文件（{reason}）。请重新运行 &quot;codex login&quot;。在此之前，检查会按 ChatGPT 登录方式进行。</translation>
    </message>
    <message>
        <source>CODEX_HOME points to {path}, which is a file, not a folder. Codex will not start until CODEX_HOME names a folder.</source>
        <translation>CODEX_HOME 指向 {path}，但它是一个文件，不是文件夹。在 CODEX_HOME 指向一个文件夹之前，Codex 无法启动。</translation>
    </message>
    <message>
        <source>CODEX_HOME points to {path}, which does not exist. Codex will not start until that folder exists or CODEX_HOME is removed.</source>
        <translation>CODEX_HOME 指向 {path}，但这个位置不存在。在该文件夹创建好或去掉 CODEX_HOME 之前，Codex 无法启动。</translation>
    </message>
    <message>
        <source>{path} is a file, but Codex keeps its settings in a folder of that name. Codex will not start until it is a folder.</source>
        <translation>{path} 是一个文件，但 Codex 要把设置保存在同名的文件夹里。在它变成文件夹之前，Codex 无法启动。</translation>
    </message>
    <message>
        <source>Codex&apos;s folder {path} cannot be opened ({reason}). Codex cannot read its settings or sign-in there either: give your user access to it (for example chmod u+rwx), then try again.</source>
        <translation>Codex 的文件夹 {path} 无法打开（{reason}）。Codex 同样读不到其中的设置和登录信息：请让你的用户能够访问它（例如 chmod u+rwx），然后再试一次。</translation>
    </message>
    <message>
        <source>Codex cannot read {path}: {reason}.</source>
        <translation>Codex 无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <source>{path} is not valid TOML ({where}): {reason}. Codex will not start until it is fixed.</source>
        <translation>{path} 不是有效的 TOML（{where}）：{reason}。修正之前 Codex 无法启动。</translation>
    </message>
    <message>
        <source>{path} is not valid TOML: {reason}. Codex will not start until it is fixed.</source>
        <translation>{path} 不是有效的 TOML：{reason}。修正之前 Codex 无法启动。</translation>
    </message>
    <message>
        <source>config.toml sets profile = &quot;{name}&quot; at the top. Current Codex refuses to start with it: remove that line and start Codex with --profile {name} instead.</source>
        <translation>config.toml 开头设置了 profile = &quot;{name}&quot;。新版 Codex 遇到它会拒绝启动：请删掉这一行，改用 --profile {name} 启动 Codex。</translation>
    </message>
    <message>
        <source>config.toml sets approval_policy = &quot;{value}&quot;, which Codex no longer supports: it will not start until that line is removed or changed (for example to &quot;on-request&quot;).</source>
        <translation>config.toml 设置了 approval_policy = &quot;{value}&quot;，Codex 已不再支持这个值：删除或修改这一行（例如改为 &quot;on-request&quot;）之前，Codex 无法启动。</translation>
    </message>
    <message>
        <source>config.toml selects model_provider = &quot;{provider}&quot;, but no such provider is defined. Codex will not start.</source>
        <translation>config.toml 选择了 model_provider = &quot;{provider}&quot;，但没有定义这个提供方。Codex 无法启动。</translation>
    </message>
    <message>
        <source>config.toml defines [model_providers.{provider}], a name reserved for Codex&apos;s built-in provider. Current Codex will not load the file: rename that table (for example to {provider}-custom).</source>
        <translation>config.toml 定义了 [model_providers.{provider}]，这个名字是 Codex 内置提供方专用的。新版 Codex 不会加载这个文件：请给这个表改个名字（例如 {provider}-custom）。</translation>
    </message>
    <message>
        <source>[model_providers.amazon-bedrock] sets {fields}, which Codex does not allow there. Codex will not load the file.</source>
        <translation>[model_providers.amazon-bedrock] 设置了 {fields}，Codex 不允许在那里设置。Codex 不会加载这个文件。</translation>
    </message>
    <message>
        <source>[model_providers.{provider}] has no name. Codex will not load the file until it has one, e.g. name = &quot;{provider}&quot;.</source>
        <translation>[model_providers.{provider}] 没有 name。补上之前 Codex 不会加载这个文件，例如 name = &quot;{provider}&quot;。</translation>
    </message>
    <message>
        <source>[model_providers.{provider}] uses wire_api = &quot;chat&quot;, which Codex no longer supports. Codex will not load the file: set wire_api = &quot;responses&quot;.</source>
        <translation>[model_providers.{provider}] 使用了 wire_api = &quot;chat&quot;，Codex 已不再支持。Codex 不会加载这个文件：请改为 wire_api = &quot;responses&quot;。</translation>
    </message>
    <message>
        <source>[model_providers.{provider}] sets wire_api to &quot;{value}&quot;; Codex only accepts &quot;responses&quot; and will not load the file.</source>
        <translation>[model_providers.{provider}] 把 wire_api 设为 &quot;{value}&quot;；Codex 只接受 &quot;responses&quot;，不会加载这个文件。</translation>
    </message>
    <message>
        <source>[features] {flag} no longer does anything: it does not turn WebSockets off in current Codex. Use the HTTP-only switch instead.</source>
        <translation>[features] {flag} 已经不起作用：在新版 Codex 中它关不掉 WebSocket。请改用“仅 HTTP”开关。</translation>
    </message>
    <message>
        <source>{key} sends Codex to {url}, on this computer. If the local proxy or gateway there is not running (or moved to another port), Codex cannot connect at all.</source>
        <translation>{key} 让 Codex 连接本机的 {url}。如果那里的本地代理或网关没有运行（或换了端口），Codex 就完全连不上。</translation>
    </message>
    <message>
        <source>Codex also loads proxy settings from {path} at every start, and they win over your own: {variables}. If that proxy is stale, Codex cannot connect.</source>
        <translation>Codex 每次启动时还会从 {path} 读取代理设置，并且它们优先于你自己的设置：{variables}。如果那个代理已经失效，Codex 就连不上。</translation>
    </message>
    <message>
        <source>Codex Link&apos;s route fix sent Codex through {proxy}: {path} sets {variables}, which Codex loads at every start. Undo the route fix (codex-link route off) to take these lines out again.</source>
        <translation>Codex Link 的路线修复让 Codex 通过 {proxy} 连接：{path} 设置了 {variables}，Codex 每次启动时都会读取。撤销路线修复（codex-link route off）即可再删除这些行。</translation>
    </message>
    <message>
        <source>Cannot read {path} ({reason}); Codex may take proxy settings from it that are not shown here.</source>
        <translation>无法读取 {path}（{reason}）；Codex 可能会从中读取这里没有显示的代理设置。</translation>
    </message>
    <message>
        <source>line {line}, column {column}</source>
        <translation>第 {line} 行，第 {column} 列</translation>
    </message>
    <message>
        <source>Profile file {path} is not valid TOML ({where}): codex --profile {name} will not start.</source>
        <translation>配置档文件 {path} 不是有效的 TOML（{where}）：codex --profile {name} 将无法启动。</translation>
    </message>
    <message>
        <source>Profile file {path} is not valid TOML: codex --profile {name} will not start.</source>
        <translation>配置档文件 {path} 不是有效的 TOML：codex --profile {name} 将无法启动。</translation>
    </message>
    <message>
        <source>When you start Codex with --profile {name}, it uses provider &quot;{provider}&quot; from {path}, so the HTTP-only switch does not apply to those runs.</source>
        <translation>用 --profile {name} 启动 Codex 时，它使用 {path} 中的提供方 &quot;{provider}&quot;，所以“仅 HTTP”开关对这种启动方式不起作用。</translation>
    </message>
    <message>
        <source>config.toml has an old-style [profiles.{name}] table that picks provider &quot;{provider}&quot;. Current Codex ignores it (and refuses --profile {name} while it is there); older Codex versions use it instead of the HTTP-only switch.</source>
        <translation>config.toml 里有一个旧式的 [profiles.{name}] 表，选择了提供方 &quot;{provider}&quot;。新版 Codex 会忽略它（而且只要它还在，就会拒绝 --profile {name}）；旧版 Codex 会用它，而不是“仅 HTTP”开关。</translation>
    </message>
    <message>
        <source>{path} is not valid TOML ({where}): {reason}. Nothing was changed; fix the file first.</source>
        <translation>{path} 不是有效的 TOML（{where}）：{reason}。没有做任何改动；请先修正这个文件。</translation>
    </message>
    <message>
        <source>{path} is not valid TOML: {reason}. Nothing was changed; fix the file first.</source>
        <translation>{path} 不是有效的 TOML：{reason}。没有做任何改动；请先修正这个文件。</translation>
    </message>
    <message>
        <source>Codex itself will not load {path} as it is: &quot;{reason}&quot;. Switching cannot help until that is fixed, so nothing was changed.</source>
        <translation>Codex 本身无法按现状加载 {path}：“{reason}”。在修正之前切换也无济于事，因此没有做任何改动。</translation>
    </message>
    <message>
        <source>Codex would not load {path} after this change: &quot;{reason}&quot;. Codex Link does not make it; nothing was changed.</source>
        <translation>做了这项改动后，Codex 将无法加载 {path}：“{reason}”。Codex Link 不会做这项改动，没有任何内容被修改。</translation>
    </message>
    <message>
        <source>{path} is read-only, so Codex Link leaves it as it is (Codex cannot save to it either). To switch, make it writable, for example with chmod u+w, and try again.</source>
        <translation>{path} 是只读的，所以 Codex Link 不会改动它（Codex 也无法写入它）。如需切换，请先让它可写（例如用 chmod u+w），然后再试一次。</translation>
    </message>
    <message>
        <source>{path} has {count} names (hard links). Saving it safely would give this name a new file and leave the other names with the old settings, so Codex Link leaves it as it is. Replace the other names with symbolic links (Codex Link writes through those), then try again.</source>
        <translation>{path} 有 {count} 个名字（硬链接）。安全地保存它会让这个名字指向一个新文件，而其他名字仍保留旧的设置，所以 Codex Link 不会改动它。请把其他名字换成符号链接（Codex Link 会透过符号链接写入），然后再试一次。</translation>
    </message>
    <message>
        <source>Codex already uses HTTP only: provider &quot;{provider}&quot; has WebSockets off.</source>
        <translation>Codex 已经在仅用 HTTP：提供方 &quot;{provider}&quot; 已关闭 WebSocket。</translation>
    </message>
    <message>
        <source>Codex already uses WebSocket (provider &quot;{provider}&quot;).</source>
        <translation>Codex 已经在使用 WebSocket（提供方 &quot;{provider}&quot;）。</translation>
    </message>
    <message>
        <source>Codex still uses HTTP only: provider &quot;{provider}&quot; has WebSockets off in {path}, and that part was not made by Codex Link.</source>
        <translation>Codex 仍在仅用 HTTP：{path} 中的提供方 &quot;{provider}&quot; 关闭了 WebSocket，而这部分不是 Codex Link 改的。</translation>
    </message>
    <message>
        <source>Nothing to undo: the lines Codex Link added were changed or removed since.</source>
        <translation>没有可撤销的内容：Codex Link 添加的那几行之后已被修改或删除。</translation>
    </message>
    <message>
        <source>Removed model_provider = &quot;{provider}&quot;: Codex uses its built-in OpenAI provider with WebSocket again. Your [model_providers.{provider}] table stays in the file.</source>
        <translation>已删除 model_provider = &quot;{provider}&quot;：Codex 重新使用内置的 OpenAI 提供方和 WebSocket。你的 [model_providers.{provider}] 表仍保留在文件中。</translation>
    </message>
    <message>
        <source>Codex uses its built-in provider &quot;{provider}&quot;, which has no WebSocket transport. There is nothing to switch back.</source>
        <translation>Codex 使用的是内置提供方 &quot;{provider}&quot;，它本来就没有 WebSocket 通道，无需切换回去。</translation>
    </message>
    <message>
        <source>HTTP-only was not turned on by Codex Link: provider &quot;{provider}&quot; has WebSockets off in {path}. Codex Link does not guess how to undo a change it did not make; to use WebSocket, set supports_websockets = true in that provider yourself, if its server supports it.</source>
        <translation>“仅 HTTP”不是 Codex Link 打开的：{path} 中的提供方 &quot;{provider}&quot; 关闭了 WebSocket。Codex Link 不会去猜测如何撤销不是它做的修改；如果该服务器支持 WebSocket，想使用的话，请自己在该提供方中设置 supports_websockets = true。</translation>
    </message>
    <message>
        <source>Another switch of {path} (the tray, a command or a script) is still running, so nothing was changed. Try again in a moment.</source>
        <translation>另一个对 {path} 的切换（托盘、命令或脚本）仍在进行，因此没有做任何改动。请稍后再试。</translation>
    </message>
    <message>
        <source>{path} kept changing while Codex Link tried to save it, so nothing was changed. Close other programs that edit it and try again.</source>
        <translation>Codex Link 保存时 {path} 一直在被修改，所以没有做任何改动。请关闭其他正在编辑它的程序后再试。</translation>
    </message>
    <message>
        <source>Could not save Codex Link&apos;s record of the switch in {folder}: {reason}. Nothing was changed; {path} is as it was.</source>
        <translation>无法在 {folder} 中保存 Codex Link 的切换记录：{reason}。没有做任何修改，{path} 保持原样。</translation>
    </message>
    <message>
        <source>Could not read Codex Link&apos;s record of the switch in {folder}: {reason}. Nothing was changed; {path} is as it was.</source>
        <translation>无法读取 {folder} 中 Codex Link 的切换记录：{reason}。没有做任何改动，{path} 保持原样。</translation>
    </message>
    <message>
        <source>Codex now uses HTTP only (provider &quot;{provider}&quot;).</source>
        <translation>Codex 现在仅用 HTTP（提供方 &quot;{provider}&quot;）。</translation>
    </message>
    <message>
        <source>Codex uses WebSocket again (provider &quot;{provider}&quot;).</source>
        <translation>Codex 重新使用 WebSocket（提供方 &quot;{provider}&quot;）。</translation>
    </message>
    <message>
        <source>{path} was created by Codex Link and nobody changed it since, so it was removed.</source>
        <translation>{path} 是 Codex Link 创建的，之后没有人改过，所以已将它删除。</translation>
    </message>
    <message>
        <source>Changed {path}.</source>
        <translation>已修改 {path}。</translation>
    </message>
    <message>
        <source>No verified route for Codex&apos;s WebSocket is known yet, so nothing was changed: give a working proxy with --proxy URL, or --system-proxy.</source>
        <translation>尚不知道能让 Codex 的 WebSocket 走通的已验证路线，因此未做任何更改：请用 --proxy URL 指定一个可用的代理，或使用 --system-proxy。</translation>
    </message>
    <message>
        <source>{proxy} cannot carry Codex&apos;s WebSocket: it needs an http://, socks5:// or socks5h:// proxy URL with a host. Nothing was changed.</source>
        <translation>{proxy} 无法承载 Codex 的 WebSocket：需要一个带主机名的 http://、socks5:// 或 socks5h:// 代理地址。未做任何更改。</translation>
    </message>
    <message>
        <source>The route names no proxy variable Codex reads for WebSocket ({variables}). Nothing was changed.</source>
        <translation>该路线没有指定 Codex 为 WebSocket 读取的代理变量（{variables}）。未做任何更改。</translation>
    </message>
    <message>
        <source>Codex already goes through {proxy}: {path} sets {variables}.</source>
        <translation>Codex 已经通过 {proxy} 连接：{path} 设置了 {variables}。</translation>
    </message>
    <message>
        <source>Codex already follows the system proxy: features.respect_system_proxy is on in {path}.</source>
        <translation>Codex 已经遵循系统代理：{path} 中已开启 features.respect_system_proxy。</translation>
    </message>
    <message>
        <source>The route fix is already on in {path}. Turn it off first (codex-link route off), then on the other way. Nothing was changed.</source>
        <translation>路线修复已在 {path} 中开启。请先关闭它（codex-link route off），再用另一种方式开启。未做任何更改。</translation>
    </message>
    <message>
        <source>The route fix is not on: Codex Link has not set a route for Codex.</source>
        <translation>路线修复未开启：Codex Link 没有为 Codex 设置路线。</translation>
    </message>
    <message>
        <source>Nothing to undo: what Codex Link wrote in {path} was changed or removed since.</source>
        <translation>没有可撤销的内容：Codex Link 在 {path} 中写入的内容此后已被修改或删除。</translation>
    </message>
    <message>
        <source>Codex itself will not load {path} as it is: &quot;{reason}&quot;. Fix that first; nothing was changed.</source>
        <translation>Codex 本身无法按现状加载 {path}：“{reason}”。请先修复该问题；未做任何更改。</translation>
    </message>
    <message>
        <source>{path} is read-only, so Codex Link leaves it as it is. Make it writable, for example with chmod u+w, and try again.</source>
        <translation>{path} 是只读的，因此 Codex Link 不会改动它。请将其设为可写（例如使用 chmod u+w）后重试。</translation>
    </message>
    <message>
        <source>Could not save Codex Link&apos;s record of the route fix in {folder}: {reason}. Nothing was changed; {path} is as it was.</source>
        <translation>无法在 {folder} 中保存 Codex Link 的路线修复记录：{reason}。未做任何更改；{path} 保持原样。</translation>
    </message>
    <message>
        <source>Could not read Codex Link&apos;s record of the route fix in {folder}: {reason}. Nothing was changed.</source>
        <translation>无法读取 {folder} 中 Codex Link 的路线修复记录：{reason}。未做任何更改。</translation>
    </message>
    <message>
        <source>Added {name}={value}.</source>
        <translation>已添加 {name}={value}。</translation>
    </message>
    <message>
        <source>Changed {name} from {old} to {value} (your line is kept to put back).</source>
        <translation>已将 {name} 从 {old} 改为 {value}（你原来的行已保留，关闭时会恢复）。</translation>
    </message>
    <message>
        <source>Removed {name}={value}.</source>
        <translation>已删除 {name}={value}。</translation>
    </message>
    <message>
        <source>Put back your own {name}={value}.</source>
        <translation>已恢复你自己的 {name}={value}。</translation>
    </message>
    <message>
        <source>Left {name} as it is: it was changed after Codex Link set it, so it is yours now.</source>
        <translation>{name} 保持不变：它在 Codex Link 设置之后被修改过，现在归你所有。</translation>
    </message>
    <message>
        <source>Left {name} as Codex Link set it: your earlier line held a password, which Codex Link does not keep, and no copy of it was found. Set {name} again by hand.</source>
        <translation>{name} 保持 Codex Link 设置的值：你原来的行包含密码，Codex Link 不保存密码，也没有找到它的副本。请手动重新设置 {name}。</translation>
    </message>
    <message>
        <source>Added features.respect_system_proxy = true.</source>
        <translation>已添加 features.respect_system_proxy = true。</translation>
    </message>
    <message>
        <source>Changed features.respect_system_proxy from {old} to true.</source>
        <translation>已将 features.respect_system_proxy 从 {old} 改为 true。</translation>
    </message>
    <message>
        <source>Removed features.respect_system_proxy = true.</source>
        <translation>已删除 features.respect_system_proxy = true。</translation>
    </message>
    <message>
        <source>Put back features.respect_system_proxy = {old}.</source>
        <translation>已恢复 features.respect_system_proxy = {old}。</translation>
    </message>
    <message>
        <source>Codex now goes through {proxy} ({variables} in {path}).</source>
        <translation>Codex 现在通过 {proxy} 连接（{path} 中的 {variables}）。</translation>
    </message>
    <message>
        <source>Codex now follows the system proxy (features.respect_system_proxy = true in {path}).</source>
        <translation>Codex 现在遵循系统代理（{path} 中的 features.respect_system_proxy = true）。</translation>
    </message>
    <message>
        <source>The route fix is off: Codex takes its own route again.</source>
        <translation>路线修复已关闭：Codex 重新使用它自己的路线。</translation>
    </message>
    <message>
        <source>Created {path}.</source>
        <translation>已创建 {path}。</translation>
    </message>
    <message>
        <source>A copy of your original file is at {backup}.</source>
        <translation>原文件的备份在 {backup}。</translation>
    </message>
    <message>
        <source>No backup was needed: the file did not exist before.</source>
        <translation>无需备份：之前没有这个文件。</translation>
    </message>
    <message>
        <source>Restart Codex (the CLI, the IDE extension and the desktop app) for this to take effect.</source>
        <translation>请重启 Codex（命令行、IDE 插件和桌面应用）后生效。</translation>
    </message>
    <message>
        <source>The route fix is off: Codex Link has set no route for Codex.</source>
        <translation>路线修复未开启：Codex Link 没有为 Codex 设置任何路线。</translation>
    </message>
    <message>
        <source>The route fix is on: Codex goes through {proxy} ({path}).</source>
        <translation>路线修复已开启：Codex 通过 {proxy} 连接（{path}）。</translation>
    </message>
    <message>
        <source>The route fix is on: Codex follows the system proxy (features.respect_system_proxy in {path}).</source>
        <translation>路线修复已开启：Codex 遵循系统代理（{path} 中的 features.respect_system_proxy）。</translation>
    </message>
    <message>
        <source>Some of what Codex Link wrote in {path} was changed or removed since; codex-link route off undoes only what is still as it was written.</source>
        <translation>Codex Link 在 {path} 中写入的部分内容此后已被修改或删除；codex-link route off 只会撤销仍保持原样的部分。</translation>
    </message>
    <message>
        <source>Codex will not load {path}: model_providers is not a table.</source>
        <translation>Codex 不会加载 {path}：model_providers 不是一个表。</translation>
    </message>
    <message>
        <source>Codex will not load {path}: model_provider is not a text value.</source>
        <translation>Codex 不会加载 {path}：model_provider 不是文本值。</translation>
    </message>
    <message>
        <source>Changed {key} from {old} to {new}.</source>
        <translation>已把 {key} 从 {old} 改为 {new}。</translation>
    </message>
    <message>
        <source>Removed the provider [{key}] that Codex Link had added.</source>
        <translation>已删除 Codex Link 之前添加的提供方 [{key}]。</translation>
    </message>
    <message>
        <source>Added the provider [{key}]: OpenAI over HTTP only (supports_websockets = false).</source>
        <translation>已添加提供方 [{key}]：仅通过 HTTP 连接 OpenAI（supports_websockets = false）。</translation>
    </message>
    <message>
        <source>Removed {key} = {value}.</source>
        <translation>已删除 {key} = {value}。</translation>
    </message>
    <message>
        <source>Added {key} = {value}.</source>
        <translation>已添加 {key} = {value}。</translation>
    </message>
    <message>
        <source>Left {key} as it is: it was changed after Codex Link set it, so it is yours now.</source>
        <translation>{key} 保持不变：Codex Link 设置之后它又被改过，所以现在以你的修改为准。</translation>
    </message>
    <message>
        <source>While HTTP-only is on, Codex lists conversations started under the other provider separately; they come back when you switch back.</source>
        <translation>“仅 HTTP”开启期间，Codex 会把在另一个提供方下开始的对话分开列出；切换回去后它们会重新出现。</translation>
    </message>
    <message>
        <source>Codex Link cannot make this change safely in {path} ({detail}). Nothing was changed.</source>
        <translation>Codex Link 无法在 {path} 中安全地做这个修改（{detail}）。没有做任何改动。</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}. Nothing was changed; your file is as it was.</source>
        <translation>无法保存 {path}：{reason}。没有做任何改动，你的文件保持原样。</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Codex Link could not finish its check ({problem}); it will try again.</source>
        <translation>Codex Link 没能完成这次检查（{problem}），稍后会再试。</translation>
    </message>
    <message>
        <source>Could not check</source>
        <translation>无法检查</translation>
    </message>
    <message>
        <source>no answer within {seconds} s</source>
        <translation>{seconds} 秒内没有回应</translation>
    </message>
    <message>
        <source>internal error {error}</source>
        <translation>内部错误 {error}</translation>
    </message>
    <message>
        <source>{host} answered with HTTP {status}: the route works.</source>
        <translation>{host} 返回了 HTTP {status}：这条线路是通的。</translation>
    </message>
    <message>
        <source>The WebSocket to {host} opened and stayed open: the route works.</source>
        <translation>到 {host} 的 WebSocket 已打开并保持连接：这条线路是通的。</translation>
    </message>
    <message>
        <source>{result} The certificate is trusted only because of the added CA file {path}: something on the way (a company proxy or security software) re-signs the connection, and Codex&apos;s WebSocket may reject it.</source>
        <translation>{result}这个证书之所以被信任，只是因为额外添加的 CA 文件 {path}：途中有东西（公司代理或安全软件）重新签发了证书，Codex 的 WebSocket 可能会拒绝它。</translation>
    </message>
    <message>
        <source>The name {host} could not be found (DNS).</source>
        <translation>找不到域名 {host}（DNS 解析失败）。</translation>
    </message>
    <message>
        <source>The name of the proxy {proxy} could not be found (DNS).</source>
        <translation>找不到代理 {proxy} 的域名（DNS 解析失败）。</translation>
    </message>
    <message>
        <source>{target} refused the connection: nothing is listening there.</source>
        <translation>{target} 拒绝了连接：那里没有程序在监听。</translation>
    </message>
    <message>
        <source>{target} did not accept a connection within {seconds} s.</source>
        <translation>{target} 在 {seconds} 秒内没有接受连接。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} did not accept a connection within {seconds} s.</source>
        <translation>代理 {proxy} 在 {seconds} 秒内没有接受连接。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} did not get through to {target} within {seconds} s.</source>
        <translation>代理 {proxy} 在 {seconds} 秒内没能连到 {target}。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} refused the connection: it is not running or the port is wrong.</source>
        <translation>代理 {proxy} 拒绝了连接：它没有运行，或者端口不对。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} would not connect to {target}: it answered {status} {phrase}.</source>
        <translation>代理 {proxy} 不肯连接 {target}：它返回了 {status} {phrase}。</translation>
    </message>
    <message>
        <source>The SOCKS proxy at {proxy} would not connect to {target}: {phrase}.</source>
        <translation>SOCKS 代理 {proxy} 不肯连接 {target}：{phrase}。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} wants a user name and password ({status}): the proxy address has none, or a wrong one.</source>
        <translation>代理 {proxy} 需要用户名和密码（{status}）：代理地址里没有填写，或者填错了。</translation>
    </message>
    <message>
        <source>The SOCKS proxy at {proxy} did not accept the user name and password (or wants one).</source>
        <translation>SOCKS 代理 {proxy} 不接受这个用户名和密码（或者需要填写）。</translation>
    </message>
    <message>
        <source>Codex cannot use the proxy {proxy} for WebSocket: only http://, socks5:// and socks5h:// proxies work there.</source>
        <translation>Codex 的 WebSocket 不能使用代理 {proxy}：只支持 http://、socks5:// 和 socks5h:// 代理。</translation>
    </message>
    <message>
        <source>The certificate of {host} is not trusted: a company proxy or security software may be intercepting the connection.</source>
        <translation>{host} 的证书不受信任：可能有公司代理或安全软件在拦截连接。</translation>
    </message>
    <message>
        <source>The secure connection (TLS) to {host} failed.</source>
        <translation>到 {host} 的安全连接（TLS）失败。</translation>
    </message>
    <message>
        <source>The secure connection (TLS) to {host} did not complete within {seconds} s.</source>
        <translation>到 {host} 的安全连接（TLS）在 {seconds} 秒内没有完成。</translation>
    </message>
    <message>
        <source>{host} did not answer the WebSocket request within {seconds} s: Codex would wait, then fall back to HTTP.</source>
        <translation>{host} 在 {seconds} 秒内没有回应 WebSocket 请求：Codex 会一直等，然后才改用 HTTP。</translation>
    </message>
    <message>
        <source>{host} did not answer the HTTP request within {seconds} s.</source>
        <translation>{host} 在 {seconds} 秒内没有回应 HTTP 请求。</translation>
    </message>
    <message>
        <source>The proxy {proxy} uses a kind of address Codex cannot use for HTTP (only http:// and https://).</source>
        <translation>代理 {proxy} 的地址类型 Codex 的 HTTP 请求用不了（只支持 http:// 和 https://）。</translation>
    </message>
    <message>
        <source>Codex&apos;s HTTP requests cannot go through the SOCKS proxy {proxy}: they never leave, and Codex waits for the network without end. Give Codex an http:// proxy in HTTPS_PROXY (most proxy programs offer one beside SOCKS, e.g. a &quot;mixed&quot; port).</source>
        <translation>Codex 的 HTTP 请求无法经过 SOCKS 代理 {proxy}：请求根本发不出去，Codex 会一直等待网络。请在 HTTPS_PROXY 中给 Codex 设置一个 http:// 代理（大多数代理软件在 SOCKS 之外也提供，例如“混合”端口）。</translation>
    </message>
    <message>
        <source>The certificate of {host} has expired (or is not valid yet): check the computer&apos;s date and time; otherwise the server must renew it.</source>
        <translation>{host} 的证书已过期（或尚未生效）：请检查电脑的日期和时间；如果时间没错，就需要服务器更新证书。</translation>
    </message>
    <message>
        <source>The certificate that {host} presents was issued for another name: the address points at the wrong server.</source>
        <translation>{host} 出示的证书是颁发给另一个名称的：这个地址指向了错误的服务器。</translation>
    </message>
    <message>
        <source>The server answered the WebSocket upgrade with {status}: the route works. Your login was not sent, so it was not checked (the deep check does).</source>
        <translation>服务器以 {status} 回应了 WebSocket 升级请求：线路是通的。没有发送你的登录信息，所以登录本身没有检查（深度检查会检查）。</translation>
    </message>
    <message>
        <source>The server refused the login Codex sends on the WebSocket upgrade ({status}): Codex counts that as a failed connect, retries, then falls back to HTTP. Sign in again (codex login) or check the provider&apos;s key.</source>
        <translation>服务器拒绝了 Codex 在 WebSocket 升级时发送的登录信息（{status}）：Codex 会把它当作连接失败，重试后改用 HTTP。请重新登录（codex login），或检查该服务商的密钥。</translation>
    </message>
    <message>
        <source>The server answered the WebSocket upgrade with 426: Codex switches to HTTP at once.</source>
        <translation>服务器对 WebSocket 升级请求返回了 426：Codex 会立刻改用 HTTP。</translation>
    </message>
    <message>
        <source>The server answered the WebSocket upgrade with {status} {phrase} instead of opening the WebSocket.</source>
        <translation>服务器对 WebSocket 升级请求返回了 {status} {phrase}，没有打开 WebSocket。</translation>
    </message>
    <message>
        <source>The WebSocket opened, then the server closed it at once (code {code}: {close_reason}).</source>
        <translation>WebSocket 打开后，服务器立刻把它关闭了（代码 {code}：{close_reason}）。</translation>
    </message>
    <message>
        <source>The connection to {host} was cut off during the {stage} step.</source>
        <translation>到 {host} 的连接在“{stage}”这一步被切断。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} cut the connection off during the {stage} step.</source>
        <translation>代理 {proxy} 在“{stage}”这一步切断了连接。</translation>
    </message>
    <message>
        <source>{host} answered with something that is not HTTP: a proxy or security software may be in the way.</source>
        <translation>{host} 返回的内容不是 HTTP：中间可能有代理或安全软件。</translation>
    </message>
    <message>
        <source>The proxy at {proxy} answered with something that is not a proxy answer.</source>
        <translation>代理 {proxy} 返回的内容不像代理的回应。</translation>
    </message>
    <message>
        <source>The WebSocket to {host} opened, then the server sent data that is not WebSocket traffic: a proxy or security software may be in the way, and Codex cannot use it.</source>
        <translation>到 {host} 的 WebSocket 已打开，但随后服务器发来的数据不是 WebSocket 流量：中间可能有代理或安全软件，Codex 无法使用这条连接。</translation>
    </message>
    <message>
        <source>{host} answered with HTTP {status}: something on the way (a proxy or gateway) could not reach the server, and Codex&apos;s requests would fail the same way.</source>
        <translation>{host} 返回了 HTTP {status}：途中的代理或网关连不上服务器，Codex 的请求也会同样失败。</translation>
    </message>
    <message>
        <source>The address {url} is not a web address that Codex could use.</source>
        <translation>地址 {url} 不是 Codex 能使用的网址。</translation>
    </message>
    <message>
        <source>The check of {host} failed in an unexpected way during the {stage} step.</source>
        <translation>检查 {host} 时在“{stage}”这一步出现了意外错误。</translation>
    </message>
    <message>
        <source>The CA file named by {variable} ({path}) could not be read; only the system&apos;s certificates are trusted.</source>
        <translation>无法读取 {variable} 指定的 CA 文件（{path}）；现在只信任系统自带的证书。</translation>
    </message>
    <message>
        <source>The CA file named by {variable} ({path}) holds no PEM certificate; only the system&apos;s certificates are trusted.</source>
        <translation>{variable} 指定的 CA 文件（{path}）里没有 PEM 证书；现在只信任系统自带的证书。</translation>
    </message>
    <message>
        <source>name lookup</source>
        <translation>域名解析</translation>
    </message>
    <message>
        <source>connection</source>
        <translation>建立连接</translation>
    </message>
    <message>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <source>connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>no timings</source>
        <translation>无耗时数据</translation>
    </message>
    <message>
        <source>secure handshake (TLS)</source>
        <translation>安全握手（TLS）</translation>
    </message>
    <message>
        <source>request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>关闭连接</translation>
    </message>
    <message>
        <source>{name} in $CODEX_HOME/.env ({dotenv_value}) replaces the value in your environment ({env_value}): Codex uses the one in .env.</source>
        <translation>$CODEX_HOME/.env 中的 {name}（{dotenv_value}）会覆盖你环境变量中的值（{env_value}）：Codex 使用的是 .env 里的。</translation>
    </message>
    <message>
        <source>{name} is set but HTTPS_PROXY is not: Codex&apos;s WebSocket uses {name}, its HTTPS requests go direct. Set HTTPS_PROXY to the same proxy.</source>
        <translation>设置了 {name}，但没有设置 HTTPS_PROXY：Codex 的 WebSocket 会走 {name}，而它的 HTTPS 请求会直连。请把 HTTPS_PROXY 设为同一个代理。</translation>
    </message>
    <message>
        <source>features.respect_system_proxy changes nothing on Linux: Codex still uses only environment variables such as HTTPS_PROXY.</source>
        <translation>features.respect_system_proxy 在 Linux 上不起作用：Codex 仍然只使用 HTTPS_PROXY 等环境变量。</translation>
    </message>
    <message>
        <source>Codex does not use the proxy in {source} for WebSocket: only HTTPS_PROXY, HTTP_PROXY and ALL_PROXY.</source>
        <translation>Codex 的 WebSocket 不使用 {source} 中的代理：只使用 HTTPS_PROXY、HTTP_PROXY 和 ALL_PROXY。</translation>
    </message>
    <message>
        <source>Codex on Linux does not read the proxy in {source}: it uses only environment variables such as HTTPS_PROXY.</source>
        <translation>Linux 上的 Codex 不读取 {source} 中的代理：它只使用 HTTPS_PROXY 等环境变量。</translation>
    </message>
    <message>
        <source>{variable} is {proxy} without http:// in front: Codex&apos;s HTTP requests use it, but its WebSocket refuses it and falls back to HTTP after its retries. Write http://{proxy}.</source>
        <translation>{variable} 的值是 {proxy}，前面没有 http://：Codex 的 HTTP 请求能用它，但 WebSocket 不接受，会在多次重试后改用 HTTP。请写成 http://{proxy}。</translation>
    </message>
    <message>
        <source>Codex&apos;s WebSocket cannot use the https:// proxy in {variable} ({proxy}): it falls back to HTTP after its retries.</source>
        <translation>Codex 的 WebSocket 不能使用 {variable} 中的 https:// 代理（{proxy}）：它会在多次重试后改用 HTTP。</translation>
    </message>
    <message>
        <source>Codex&apos;s WebSocket cannot use the {scheme}:// proxy in {variable} ({proxy}): only http://, socks5:// and socks5h:// work.</source>
        <translation>Codex 的 WebSocket 不能使用 {variable} 中的 {scheme}:// 代理（{proxy}）：只支持 http://、socks5:// 和 socks5h://。</translation>
    </message>
    <message>
        <source>the name {host} could not be looked up (DNS)</source>
        <translation>无法解析域名 {host}（DNS）</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>{host} refused the connection</source>
        <translation>{host} 拒绝了连接</translation>
    </message>
    <message>
        <source>{host} did not answer the connection</source>
        <translation>{host} 没有回应连接</translation>
    </message>
    <message>
        <source>proxy not running</source>
        <translation>代理未运行</translation>
    </message>
    <message>
        <source>the proxy {proxy} is not running (connection refused)</source>
        <translation>代理 {proxy} 没有运行（连接被拒绝）</translation>
    </message>
    <message>
        <source>proxy refused</source>
        <translation>代理拒绝</translation>
    </message>
    <message>
        <source>the proxy {proxy} refused to connect to {host}</source>
        <translation>代理 {proxy} 拒绝连接 {host}</translation>
    </message>
    <message>
        <source>proxy asks for a password</source>
        <translation>代理需要密码</translation>
    </message>
    <message>
        <source>the proxy {proxy} asks for a user name and password (407)</source>
        <translation>代理 {proxy} 需要用户名和密码（407）</translation>
    </message>
    <message>
        <source>proxy type not supported</source>
        <translation>不支持这种代理</translation>
    </message>
    <message>
        <source>Codex cannot use a proxy address of this kind: {proxy}</source>
        <translation>Codex 无法使用这种代理地址：{proxy}</translation>
    </message>
    <message>
        <source>certificate not trusted</source>
        <translation>证书不受信任</translation>
    </message>
    <message>
        <source>the certificate of {host} is not trusted (a proxy may be inspecting secure connections)</source>
        <translation>{host} 的证书不受信任（可能有代理在检查加密连接）</translation>
    </message>
    <message>
        <source>secure connection failed</source>
        <translation>安全连接失败</translation>
    </message>
    <message>
        <source>the secure connection (TLS) to {host} failed</source>
        <translation>到 {host} 的安全连接（TLS）失败</translation>
    </message>
    <message>
        <source>{host} did not answer in time</source>
        <translation>{host} 没有及时回应</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>server answered {status}</source>
        <translation>服务器返回 {status}</translation>
    </message>
    <message>
        <source>{host} answered with error {status}</source>
        <translation>{host} 返回了错误 {status}</translation>
    </message>
    <message>
        <source>name not found</source>
        <translation>找不到域名</translation>
    </message>
    <message>
        <source>closed by the server</source>
        <translation>被服务器关闭</translation>
    </message>
    <message>
        <source>{host} closed the WebSocket right after opening it (code {code})</source>
        <translation>{host} 在打开 WebSocket 后立刻把它关闭了（代码 {code}）</translation>
    </message>
    <message>
        <source>connection cut</source>
        <translation>连接被切断</translation>
    </message>
    <message>
        <source>the connection to {host} was cut</source>
        <translation>到 {host} 的连接被切断</translation>
    </message>
    <message>
        <source>unexpected answer</source>
        <translation>意外的回应</translation>
    </message>
    <message>
        <source>{host} answered with something that is not HTTP</source>
        <translation>{host} 返回的内容不是 HTTP</translation>
    </message>
    <message>
        <source>it works</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>WebSocket works through your system proxy {proxy}, but Codex does not use it for WebSocket: turn on features.respect_system_proxy in Codex&apos;s config.toml.</source>
        <translation>通过你的系统代理 {proxy} 可以使用 WebSocket，但 Codex 的 WebSocket 不走系统代理：请在 Codex 的 config.toml 中打开 features.respect_system_proxy。</translation>
    </message>
    <message>
        <source>Or set HTTPS_PROXY={proxy} for Codex.</source>
        <translation>或者为 Codex 设置 HTTPS_PROXY={proxy}。</translation>
    </message>
    <message>
        <source>WebSocket works without your proxy {proxy}: add {host} to NO_PROXY for Codex.</source>
        <translation>不经过你的代理 {proxy} 时 WebSocket 可以用：请为 Codex 把 {host} 加入 NO_PROXY。</translation>
    </message>
    <message>
        <source>WebSocket works through {proxy}: set HTTPS_PROXY={proxy} for Codex.</source>
        <translation>通过 {proxy} 可以使用 WebSocket：请为 Codex 设置 HTTPS_PROXY={proxy}。</translation>
    </message>
    <message>
        <source>Start your proxy program (Clash, V2Ray…), or remove the proxy setting {source} if you no longer use a proxy.</source>
        <translation>请启动你的代理程序（Clash、V2Ray 等）；如果不再使用代理，请删除代理设置 {source}。</translation>
    </message>
    <message>
        <source>Put your proxy user name and password into the proxy address, like http://user:password@host:port.</source>
        <translation>请把代理的用户名和密码写进代理地址，例如 http://user:password@host:port。</translation>
    </message>
    <message>
        <source>Codex&apos;s HTTP requests cannot use a SOCKS proxy: set HTTPS_PROXY to an http:// proxy for Codex (a SOCKS proxy is fine for its WebSocket only).</source>
        <translation>Codex 的 HTTP 请求不能使用 SOCKS 代理：请把 Codex 的 HTTPS_PROXY 设为 http:// 代理（SOCKS 代理只适用于它的 WebSocket）。</translation>
    </message>
    <message>
        <source>Check the proxy setting {source}, or ask who runs the proxy.</source>
        <translation>请检查代理设置 {source}，或询问代理的管理者。</translation>
    </message>
    <message>
        <source>Check that this computer is online and that names resolve.</source>
        <translation>请确认这台电脑已联网，并且域名可以解析。</translation>
    </message>
    <message>
        <source>Let Codex trust the program that inspects connections (CODEX_CA_CERTIFICATE), or ask your IT department.</source>
        <translation>请让 Codex 信任检查连接的那个程序（CODEX_CA_CERTIFICATE），或联系你的 IT 部门。</translation>
    </message>
    <message>
        <source>Start the local proxy or gateway at {host}, or point Codex back at its own server.</source>
        <translation>请启动 {host} 上的本地代理或网关，或让 Codex 重新连接它自己的服务器。</translation>
    </message>
    <message>
        <source>Check your network and proxy settings, then check again.</source>
        <translation>请检查网络和代理设置，然后重新检查。</translation>
    </message>
    <message>
        <source>{action} HTTP only would not help: HTTP itself fails.</source>
        <translation>{action}改为仅用 HTTP 也没用：HTTP 本身就不通。</translation>
    </message>
    <message>
        <source>Use HTTP only: Codex skips WebSocket and answers at once.</source>
        <translation>改为仅用 HTTP：Codex 会跳过 WebSocket，马上就能回复。</translation>
    </message>
    <message>
        <source>WebSocket has not answered yet: Codex would likely wait about {seconds} s at each start before it falls back to HTTP.</source>
        <translation>WebSocket 还没有回应：Codex 每次启动时可能要等大约 {seconds} 秒，才会改用 HTTP。</translation>
    </message>
    <message>
        <source>Codex may start slowly</source>
        <translation>Codex 可能启动很慢</translation>
    </message>
    <message>
        <source>WebSocket has not answered yet: Codex may wait about {seconds} s at each start.</source>
        <translation>WebSocket 还没有响应：Codex 每次启动可能要等大约 {seconds} 秒。</translation>
    </message>
    <message>
        <source>The server turns WebSocket down (426): Codex falls back to HTTP at once, without waiting.</source>
        <translation>服务器拒绝了 WebSocket（426）：Codex 会立刻改用 HTTP，不用等待。</translation>
    </message>
    <message>
        <source>Codex uses HTTP instead</source>
        <translation>Codex 改用 HTTP</translation>
    </message>
    <message>
        <source>The server turns WebSocket down, so Codex uses HTTP without waiting.</source>
        <translation>服务器拒绝了 WebSocket，所以 Codex 不等待，直接用 HTTP。</translation>
    </message>
    <message>
        <source>Codex will start slowly</source>
        <translation>Codex 会启动很慢</translation>
    </message>
    <message>
        <source>WebSocket is blocked on this network: Codex would wait about {seconds} s at each start.</source>
        <translation>这个网络屏蔽了 WebSocket：Codex 每次启动要等大约 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Send Codex through {proxy} (keeps WebSocket)</source>
        <translation>让 Codex 经由 {proxy}（保留 WebSocket）</translation>
    </message>
    <message>
        <source>Send Codex through your system proxy {proxy} (keeps WebSocket)</source>
        <translation>让 Codex 经由你的系统代理 {proxy}（保留 WebSocket）</translation>
    </message>
    <message>
        <source>The proxy {proxy} that Codex is set to use ({source}) is not answering: every Codex request fails until it is back.</source>
        <translation>Codex 设定使用的代理 {proxy}（{source}）没有响应：在它恢复之前，Codex 的每个请求都会失败。</translation>
    </message>
    <message>
        <source>The proxy {proxy} that Codex is set to use for WebSocket ({source}) is not answering: Codex would wait about {seconds} s at each start before it falls back to HTTP.</source>
        <translation>Codex 设定用于 WebSocket 的代理 {proxy}（{source}）没有响应：Codex 每次启动都会等待约 {seconds} 秒，然后才改用 HTTP。</translation>
    </message>
    <message>
        <source>Take {name}={proxy} out of $CODEX_HOME/.env, so that Codex goes its own way again (or start the proxy again).</source>
        <translation>从 $CODEX_HOME/.env 中移除 {name}={proxy}，让 Codex 重新走它自己的路线（或者重新启动该代理）。</translation>
    </message>
    <message>
        <source>WebSocket is blocked on Codex&apos;s route ({problem}): Codex would wait about {seconds} s at each start before it falls back to HTTP.</source>
        <translation>WebSocket 在 Codex 使用的线路上被阻断（{problem}）：Codex 每次启动时要等大约 {seconds} 秒，才会改用 HTTP。</translation>
    </message>
    <message>
        <source>WebSocket works, so Codex will start fast, but its HTTP requests fail ({problem}): Codex has no fallback if WebSocket stops, and HTTP only would not work.</source>
        <translation>WebSocket 能用，所以 Codex 会很快启动，但它的 HTTP 请求失败了（{problem}）：一旦 WebSocket 不通，Codex 就没有后备方式，“仅用 HTTP”也行不通。</translation>
    </message>
    <message>
        <source>WebSocket works here; HTTP, Codex&apos;s fallback, does not.</source>
        <translation>这里 WebSocket 能用；Codex 的后备方式 HTTP 却不能用。</translation>
    </message>
    <message>
        <source>No network: {host} cannot be looked up.</source>
        <translation>没有网络：无法解析 {host}。</translation>
    </message>
    <message>
        <source>No network</source>
        <translation>没有网络</translation>
    </message>
    <message>
        <source>Codex cannot reach its server: {problem}. Codex would hang, retrying (&quot;waiting for network&quot;), and not answer.</source>
        <translation>Codex 连不上它的服务器：{problem}。Codex 会卡住不断重试（“waiting for network”），不会给出回答。</translation>
    </message>
    <message>
        <source>Codex cannot connect</source>
        <translation>Codex 无法连接</translation>
    </message>
    <message>
        <source>WebSocket and HTTP both work on this network.</source>
        <translation>在这个网络上 WebSocket 和 HTTP 都正常。</translation>
    </message>
    <message>
        <source>WebSocket works again; switch back?</source>
        <translation>WebSocket 又能用了，要切换回去吗？</translation>
    </message>
    <message>
        <source>Codex uses HTTP only, and HTTP works: Codex will start fast.</source>
        <translation>Codex 正在仅用 HTTP，而且 HTTP 正常：Codex 会很快启动。</translation>
    </message>
    <message>
        <source>Codex will start fast (HTTP only)</source>
        <translation>Codex 会很快启动（仅用 HTTP）</translation>
    </message>
    <message>
        <source>Codex skips WebSocket and uses HTTP, which works here.</source>
        <translation>Codex 跳过 WebSocket，使用 HTTP，而 HTTP 在这里正常。</translation>
    </message>
    <message>
        <source>HTTP works; still checking WebSocket…</source>
        <translation>HTTP 正常；还在检查 WebSocket…</translation>
    </message>
    <message>
        <source>The WebSocket route and HTTP work: Codex will start fast if the server accepts your login, which was not checked (the deep check does).</source>
        <translation>WebSocket 线路和 HTTP 都能用：只要服务器接受你的登录，Codex 就会很快启动；登录本身没有检查（深度检查会检查）。</translation>
    </message>
    <message>
        <source>Codex will start fast</source>
        <translation>Codex 会很快启动</translation>
    </message>
    <message>
        <source>WebSocket and HTTP both reach the server; your login was not checked.</source>
        <translation>WebSocket 和 HTTP 都能连到服务器；你的登录没有检查。</translation>
    </message>
    <message>
        <source>WebSocket and HTTP work: Codex will start fast.</source>
        <translation>WebSocket 和 HTTP 都正常：Codex 会很快启动。</translation>
    </message>
    <message>
        <source>The deep check sent no login: Codex sends none to this provider either.</source>
        <translation>深度检查没有发送登录信息：Codex 对这个服务商也不发送。</translation>
    </message>
    <message>
        <source>The deep check did not run: your Codex login is kept in the OS keyring, which Codex Link does not open.</source>
        <translation>深度检查没有运行：你的 Codex 登录信息保存在系统钥匙串中，Codex Link 不会打开它。</translation>
    </message>
    <message>
        <source>The deep check did not run: Codex signs its requests to {provider} with your cloud login, which Codex Link does not reproduce.</source>
        <translation>深度检查没有运行：Codex 用你的云账号登录为发往 {provider} 的请求签名，Codex Link 不会模仿这一步。</translation>
    </message>
    <message>
        <source>The deep check did not run: provider &quot;{provider}&quot; gets its login from a command (auth), which Codex Link does not run.</source>
        <translation>深度检查没有运行：服务商“{provider}”通过一条命令（auth）获取登录信息，Codex Link 不会运行它。</translation>
    </message>
    <message>
        <source>The deep check did not run: provider &quot;{provider}&quot; takes its key from {variable}, which is not set (Codex would not start).</source>
        <translation>深度检查没有运行：服务商“{provider}”从 {variable} 读取密钥，但它没有设置（Codex 也无法启动）。</translation>
    </message>
    <message>
        <source>The deep check did not run: no Codex login was found (signed out; Codex does not send OPENAI_API_KEY from the environment, use codex login or CODEX_API_KEY).</source>
        <translation>深度检查没有运行：没有找到 Codex 的登录信息（未登录；Codex 不会发送环境变量中的 OPENAI_API_KEY，请使用 codex login 或 CODEX_API_KEY）。</translation>
    </message>
    <message>
        <source>The deep check did not run: provider &quot;{provider}&quot; sets its own Authorization header beside its key, and which one Codex sends is not known here.</source>
        <translation>深度检查没有运行：服务商“{provider}”除了密钥之外还设置了自己的 Authorization 头，这里无法确定 Codex 会发送哪一个。</translation>
    </message>
    <message>
        <source>Windows Internet Options</source>
        <translation>Windows 的 Internet 选项</translation>
    </message>
    <message>
        <source>macOS network settings</source>
        <translation>macOS 网络设置</translation>
    </message>
    <message>
        <source>GNOME settings</source>
        <translation>GNOME 设置</translation>
    </message>
    <message>
        <source>KDE settings</source>
        <translation>KDE 设置</translation>
    </message>
    <message>
        <source>{source}, with http:// added</source>
        <translation>{source}，前面加上 http://</translation>
    </message>
    <message>
        <source>{name} (environment)</source>
        <translation>{name}（环境变量）</translation>
    </message>
    <message>
        <source>{name} ($CODEX_HOME/.env)</source>
        <translation>{name}（$CODEX_HOME/.env）</translation>
    </message>
    <message>
        <source>{settings} (exceptions)</source>
        <translation>{settings}（例外列表）</translation>
    </message>
    <message>
        <source>PAC file {url}</source>
        <translation>PAC 文件 {url}</translation>
    </message>
    <message>
        <source>no proxy set</source>
        <translation>未设置代理</translation>
    </message>
    <message>
        <source>no system proxy</source>
        <translation>没有系统代理</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>直连</translation>
    </message>
    <message>
        <source>found listening on {address}</source>
        <translation>在 {address} 上发现正在监听</translation>
    </message>
    <message>
        <source>npm</source>
        <translation>npm</translation>
    </message>
    <message>
        <source>Homebrew</source>
        <translation>Homebrew</translation>
    </message>
    <message>
        <source>VS Code extension</source>
        <translation>VS Code 扩展</translation>
    </message>
    <message>
        <source>desktop app</source>
        <translation>桌面应用</translation>
    </message>
    <message>
        <source>standalone</source>
        <translation>独立安装</translation>
    </message>
    <message>
        <source>Codex not found on this computer</source>
        <translation>这台电脑上没有找到 Codex</translation>
    </message>
    <message>
        <source>{kind}, PATH</source>
        <translation>{kind}，PATH</translation>
    </message>
    <message>
        <source>Codex of unknown version ({where})</source>
        <translation>版本未知的 Codex（{where}）</translation>
    </message>
    <message>
        <source>Codex {version} ({where})</source>
        <translation>Codex {version}（{where}）</translation>
    </message>
    <message>
        <source>Codex {version} ({where}): not a version Codex Link&apos;s facts were checked on (it uses those of {checked})</source>
        <translation>Codex {version}（{where}）：Codex Link 的资料没有在这个版本上核对过（按 {checked} 的资料判断）</translation>
    </message>
</context>
<context>
    <name>HistoryChart</name>
    <message>
        <source>Route fix on</source>
        <translation>路线修复开启</translation>
    </message>
    <message>
        <source>Route fix off</source>
        <translation>路线修复关闭</translation>
    </message>
    <message>
        <source>HTTP only on</source>
        <translation>仅用 HTTP 开启</translation>
    </message>
    <message>
        <source>HTTP only off</source>
        <translation>仅用 HTTP 关闭</translation>
    </message>
    <message>
        <source>{change} (automatic)</source>
        <translation>{change}（自动）</translation>
    </message>
    <message>
        <source>No checks yet</source>
        <translation>还没有检查记录</translation>
    </message>
    <message>
        <source>No connection worked in this period</source>
        <translation>这段时间内没有一次连接成功</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Codex Link</source>
        <translation>Codex Link</translation>
    </message>
    <message>
        <source>WebSocket works again: you can switch back.</source>
        <translation>WebSocket 又能用了：可以切换回去了。</translation>
    </message>
    <message>
        <source>Click for details.</source>
        <translation>点击查看详情。</translation>
    </message>
    <message>
        <source>Codex cannot connect</source>
        <translation>Codex 无法连接</translation>
    </message>
    <message>
        <source>Click to undo the route fix.</source>
        <translation>点击撤销路线修复。</translation>
    </message>
    <message>
        <source>Codex Link sent Codex through a proxy (keeps WebSocket)</source>
        <translation>Codex Link 已让 Codex 经由代理连接（保留 WebSocket）</translation>
    </message>
    <message>
        <source>Codex Link undid the route fix</source>
        <translation>Codex Link 已撤销路线修复</translation>
    </message>
    <message>
        <source>Codex Link turned HTTP only on</source>
        <translation>Codex Link 已开启仅用 HTTP</translation>
    </message>
    <message>
        <source>Codex Link switched Codex back to WebSocket</source>
        <translation>Codex Link 已让 Codex 重新使用 WebSocket</translation>
    </message>
    <message>
        <source>Click to undo.</source>
        <translation>点击撤销。</translation>
    </message>
    <message>
        <source>Codex Link changed nothing</source>
        <translation>Codex Link 没有做任何改动</translation>
    </message>
    <message>
        <source>Keeping Codex fast needs a change Codex Link could not make: {why}</source>
        <translation>要让 Codex 保持快速，需要一项 Codex Link 无法完成的改动：{why}</translation>
    </message>
</context>
<context>
    <name>RouteDialog</name>
    <message>
        <source>Send Codex through {proxy}?</source>
        <translation>让 Codex 经由 {proxy} 连接？</translation>
    </message>
    <message>
        <source>Undo the route fix?</source>
        <translation>撤销路线修复？</translation>
    </message>
    <message>
        <source>The proxy {proxy} is not answering: every Codex request fails until it is back or the route fix is undone.</source>
        <translation>代理 {proxy} 没有响应：在它恢复或撤销路线修复之前，Codex 的每个请求都会失败。</translation>
    </message>
    <message>
        <source>Codex will connect the way it did before, without {proxy}.</source>
        <translation>Codex 将恢复原来的连接方式，不再经由 {proxy}。</translation>
    </message>
    <message>
        <source>Codex will follow the system proxy ({proxy}), which carries its WebSocket: it starts without waiting and keeps WebSocket.</source>
        <translation>Codex 将使用系统代理（{proxy}），它能承载 Codex 的 WebSocket：Codex 启动时无需等待，并保留 WebSocket。</translation>
    </message>
    <message>
        <source>Codex will send its WebSocket through {proxy}, which was checked to carry it: Codex starts without waiting and keeps WebSocket.</source>
        <translation>Codex 将经由 {proxy} 发送 WebSocket（已检查过它能承载）：Codex 启动时无需等待，并保留 WebSocket。</translation>
    </message>
    <message>
        <source>Codex Link will add the proxy to {file}; the rest of the file stays as it is.</source>
        <translation>Codex Link 会把代理写入 {file}；文件的其余内容保持不变。</translation>
    </message>
    <message>
        <source>A backup copy is kept next to it, and you can undo this at any time with &quot;Undo the route fix&quot;.</source>
        <translation>旁边会保留一份备份，你随时可以用“撤销路线修复”撤销这项改动。</translation>
    </message>
    <message>
        <source>Codex needs this proxy from now on: if it is closed, Codex cannot connect. Codex Link watches it and says so at once.</source>
        <translation>从现在起 Codex 需要这个代理：如果它被关闭，Codex 将无法连接。Codex Link 会持续关注它，一旦出现问题会立即提示。</translation>
    </message>
    <message>
        <source>Send through the proxy</source>
        <translation>经由代理连接</translation>
    </message>
    <message>
        <source>Undo the route fix</source>
        <translation>撤销路线修复</translation>
    </message>
</context>
<context>
    <name>RouteFlow</name>
    <message>
        <source>the system proxy</source>
        <translation>系统代理</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>The Codex folder {folder} does not exist yet. Start Codex once to create it.</source>
        <translation>Codex 文件夹 {folder} 还不存在。先启动一次 Codex，它就会被创建。</translation>
    </message>
    <message>
        <source>This run of Codex Link keeps no log file.</source>
        <translation>本次运行的 Codex Link 没有日志文件。</translation>
    </message>
    <message>
        <source>Could not create the log folder {folder} ({problem}).</source>
        <translation>无法创建日志文件夹 {folder}（{problem}）。</translation>
    </message>
    <message>
        <source>No web browser could open {url}.</source>
        <translation>没有浏览器能打开 {url}。</translation>
    </message>
    <message>
        <source>No file manager could open {folder}. Its path was copied: open it by hand.</source>
        <translation>没有文件管理器能打开 {folder}。路径已复制，请手动打开。</translation>
    </message>
    <message>
        <source>Diagnostics copied. Passwords and tokens were left out.</source>
        <translation>诊断信息已复制。其中不含密码和令牌。</translation>
    </message>
    <message>
        <source>Could not change start at login ({problem}).</source>
        <translation>无法更改“登录时启动”（{problem}）。</translation>
    </message>
    <message>
        <source>Not available on this system</source>
        <translation>此系统不支持</translation>
    </message>
    <message>
        <source>Could not save the settings ({problem}). They apply until Codex Link quits.</source>
        <translation>无法保存设置（{problem}）。在 Codex Link 退出前这些设置仍然有效。</translation>
    </message>
    <message>
        <source>Codex Link</source>
        <translation>Codex Link</translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Check every</source>
        <translation>检查间隔</translation>
    </message>
    <message>
        <source>Notify me when this changes</source>
        <translation>状态变化时通知我</translation>
    </message>
    <message>
        <source>Deep check (uses your Codex login)</source>
        <translation>深度检查（使用你的 Codex 登录信息）</translation>
    </message>
    <message>
        <source>Also signs in to the same server Codex uses, to catch a WebSocket that opens and is then closed. Your login is never sent anywhere else.</source>
        <translation>同时用你的登录信息连接 Codex 所用的同一台服务器，以发现“WebSocket 打开后又被关闭”的情况。你的登录信息绝不会发送到其他地方。</translation>
    </message>
    <message>
        <source>Keep Codex fast automatically</source>
        <translation>自动让 Codex 保持快速</translation>
    </message>
    <message>
        <source>When WebSocket is blocked, Codex Link sends Codex through a proxy that carries it (or uses HTTP only), and undoes it when it is no longer needed; never while Codex runs. Each change is announced and can be undone.</source>
        <translation>当 WebSocket 不通时，Codex Link 会让 Codex 经由能承载它的代理连接（或改为仅用 HTTP），不再需要时再撤销；Codex 运行期间从不改动。每次改动都会通知，并且可以撤销。</translation>
    </message>
    <message>
        <source>Check now</source>
        <translation>立即检查</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>复制诊断信息</translation>
    </message>
    <message>
        <source>Copies a report for support. Passwords and tokens are left out.</source>
        <translation>复制一份报告，方便求助。其中不含密码和令牌。</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Shows Codex Link&apos;s log files, to send with a report.</source>
        <translation>显示 Codex Link 的日志文件，可随问题报告一起发送。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Codex Link</source>
        <translation>Codex Link</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Codex Link: {verdict}</source>
        <translation>Codex Link：{verdict}</translation>
    </message>
    <message>
        <source>What to do: {advice}</source>
        <translation>怎么办：{advice}</translation>
    </message>
    <message>
        <source>Other ways: {advice}</source>
        <translation>其他办法：{advice}</translation>
    </message>
    <message>
        <source>Use HTTP only</source>
        <translation>仅用 HTTP</translation>
    </message>
    <message>
        <source>Switch back to WebSocket</source>
        <translation>切换回 WebSocket</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>Send Codex through {proxy} (keeps WebSocket)</source>
        <translation>让 Codex 经由 {proxy}（保留 WebSocket）</translation>
    </message>
    <message>
        <source>the system proxy</source>
        <translation>系统代理</translation>
    </message>
    <message>
        <source>Undo the route fix</source>
        <translation>撤销路线修复</translation>
    </message>
</context>
<context>
    <name>SwitchDialog</name>
    <message>
        <source>Use HTTP only?</source>
        <translation>改为仅用 HTTP？</translation>
    </message>
    <message>
        <source>Switch back to WebSocket?</source>
        <translation>切换回 WebSocket？</translation>
    </message>
    <message>
        <source>WebSocket works on this network right now. HTTP only is meant for networks that block WebSocket; with it Codex may be a little slower.</source>
        <translation>当前网络下 WebSocket 是能用的。“仅 HTTP”是为屏蔽 WebSocket 的网络准备的；开启后 Codex 可能会稍慢一些。</translation>
    </message>
    <message>
        <source>Codex will skip WebSocket and talk to its server over HTTP only, so it starts without waiting on a network that blocks WebSocket.</source>
        <translation>Codex 将跳过 WebSocket，只通过 HTTP 与服务器通信，这样在屏蔽 WebSocket 的网络上启动时就不用等待。</translation>
    </message>
    <message>
        <source>Codex will use WebSocket again, as it is built to: a little faster where WebSocket works.</source>
        <translation>Codex 将重新使用 WebSocket（它本来的设计）：在 WebSocket 正常的网络上会稍快一些。</translation>
    </message>
    <message>
        <source>Codex Link will change one setting in {file}.</source>
        <translation>Codex Link 将修改 {file} 中的一项设置。</translation>
    </message>
    <message>
        <source>A backup copy is kept next to it, and you can undo this at any time with the same menu item.</source>
        <translation>旁边会保留一份备份，你随时可以用同一个菜单项撤销。</translation>
    </message>
    <message>
        <source>Conversations started while HTTP only was on are kept, but Codex lists them separately: they show up again if you turn HTTP only on again.</source>
        <translation>“仅 HTTP”开启期间开始的对话都会保留，但 Codex 会把它们分开列出：再次开启“仅 HTTP”时它们会重新出现。</translation>
    </message>
    <message>
        <source>Use HTTP only</source>
        <translation>仅用 HTTP</translation>
    </message>
    <message>
        <source>Switch back</source>
        <translation>切换回去</translation>
    </message>
    <message>
        <source>HTTP itself fails on this network right now, so HTTP only would not help: Codex could not connect either way. Fix the connection first (see the status window).</source>
        <translation>这个网络上 HTTP 本身现在就不通，所以仅用 HTTP 也没用：无论怎样 Codex 都连不上。请先修好连接（见状态窗口）。</translation>
    </message>
    <message>
        <source>WebSocket is still blocked on this network. After switching back, Codex would again wait at every start before it falls back to HTTP.</source>
        <translation>这个网络仍然屏蔽 WebSocket。切换回去后，Codex 每次启动又会先等待，然后才改用 HTTP。</translation>
    </message>
</context>
<context>
    <name>SwitchFlow</name>
    <message>
        <source>HTTP only is already on.</source>
        <translation>“仅 HTTP”已经开启。</translation>
    </message>
    <message>
        <source>Codex already uses WebSocket.</source>
        <translation>Codex 已经在使用 WebSocket。</translation>
    </message>
    <message>
        <source>Done: Codex now uses HTTP only.</source>
        <translation>完成：Codex 现在仅用 HTTP。</translation>
    </message>
    <message>
        <source>Done: Codex uses WebSocket again.</source>
        <translation>完成：Codex 重新使用 WebSocket。</translation>
    </message>
    <message>
        <source>Backup of the old file: {backup}</source>
        <translation>原文件的备份：{backup}</translation>
    </message>
    <message>
        <source>Restart Codex to start using it.</source>
        <translation>请重启 Codex 使其生效。</translation>
    </message>
</context>
<context>
    <name>TransportBox</name>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>线路</translation>
    </message>
    <message>
        <source>Timings</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>{phases} (total {total})</source>
        <translation>{phases}（共 {total}）</translation>
    </message>
    <message>
        <source>Last failure: {reason}</source>
        <translation>最近一次失败：{reason}</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Use HTTP only (skip WebSocket)</source>
        <translation>仅用 HTTP（跳过 WebSocket）</translation>
    </message>
    <message>
        <source>Check now</source>
        <translation>立即检查</translation>
    </message>
    <message>
        <source>Status window…</source>
        <translation>状态窗口…</translation>
    </message>
    <message>
        <source>Open Codex config folder</source>
        <translation>打开 Codex 配置文件夹</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <source>Keep Codex fast automatically</source>
        <translation>自动让 Codex 保持快速</translation>
    </message>
    <message>
        <source>When WebSocket is blocked, Codex Link sends Codex through a proxy that carries it (or uses HTTP only), and undoes it when it is no longer needed; never while Codex runs. Each change is announced and can be undone.</source>
        <translation>当 WebSocket 不通时，Codex Link 会让 Codex 经由能承载它的代理连接（或改为仅用 HTTP），不再需要时再撤销；Codex 运行期间从不改动。每次改动都会通知，并且可以撤销。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>About Codex Link</source>
        <translation>关于 Codex Link</translation>
    </message>
    <message>
        <source>Quit Codex Link</source>
        <translation>退出 Codex Link</translation>
    </message>
    <message>
        <source>HTTP itself fails on this network, so HTTP only would not help.</source>
        <translation>这个网络上 HTTP 本身就不通，仅用 HTTP 也没用。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>Send Codex through {proxy} (keeps WebSocket)</source>
        <translation>让 Codex 经由 {proxy}（保留 WebSocket）</translation>
    </message>
    <message>
        <source>the system proxy</source>
        <translation>系统代理</translation>
    </message>
    <message>
        <source>Undo the route fix (the proxy is not answering)</source>
        <translation>撤销路线修复（代理没有响应）</translation>
    </message>
    <message>
        <source>Undo the route fix</source>
        <translation>撤销路线修复</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome to Codex Link</source>
        <translation>欢迎使用 Codex Link</translation>
    </message>
    <message>
        <source>Codex Link lives in the system tray, near the clock. Click its icon for details, right-click it for the menu.</source>
        <translation>Codex Link 常驻在系统托盘（时钟旁边）。单击图标查看详情，右键单击打开菜单。</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so Codex Link shows its window instead; closing it quits Codex Link.</source>
        <translation>这个桌面没有系统托盘，所以 Codex Link 会直接显示窗口；关闭窗口即退出 Codex Link。</translation>
    </message>
    <message>
        <source>Codex Link checks, in the background, whether OpenAI Codex will start quickly on the network you are on.</source>
        <translation>Codex Link 会在后台检查：在你当前的网络上，OpenAI Codex 能否快速启动。</translation>
    </message>
    <message>
        <source>What the icon means:</source>
        <translation>图标的含义：</translation>
    </message>
    <message>
        <source>Open status window</source>
        <translation>打开状态窗口</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>好</translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>{n} s ago</source>
        <translation>{n} 秒前</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} 分钟前</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} 小时前</translation>
    </message>
    <message>
        <source>First check under way…</source>
        <translation>正在进行首次检查…</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>Last checked {when}</source>
        <translation>上次检查：{when}</translation>
    </message>
    <message>
        <source>{line} · checking again…</source>
        <translation>{line} · 正在重新检查…</translation>
    </message>
    <message>
        <source>{line} · out of date</source>
        <translation>{line} · 已过时</translation>
    </message>
    <message>
        <source>Codex Link: {title}</source>
        <translation>Codex Link：{title}</translation>
    </message>
    <message>
        <source>{line} (still checking WebSocket)</source>
        <translation>{line}（仍在检查 WebSocket）</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} 毫秒</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>不通</translation>
    </message>
    <message>
        <source>blocked ({why})</source>
        <translation>不通（{why}）</translation>
    </message>
    <message>
        <source>{state} (Codex skips it now)</source>
        <translation>{state}（Codex 目前不使用）</translation>
    </message>
    <message>
        <source>{state}, re-checking…</source>
        <translation>{state}，正在重新检查…</translation>
    </message>
    <message>
        <source>{transport}: {state}</source>
        <translation>{transport}：{state}</translation>
    </message>
    <message>
        <source>direct connection (no proxy)</source>
        <translation>直连（不经过代理）</translation>
    </message>
    <message>
        <source>through proxy {proxy} ({source})</source>
        <translation>经过代理 {proxy}（{source}）</translation>
    </message>
    <message>
        <source>through proxy {proxy} (from {source})</source>
        <translation>经过代理 {proxy}（来自 {source}）</translation>
    </message>
    <message>
        <source>through proxy {proxy}</source>
        <translation>经过代理 {proxy}</translation>
    </message>
</context>
</TS>
