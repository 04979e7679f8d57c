using System.Globalization;
using Discovery.Core.Rendering.Templating.Evaluation;
using Discovery.Core.Rendering.Templating.Functions;

namespace Discovery.Core.Rendering.Templating.Syntax;

/// <summary>
/// Parses tokens straight into typed, executable nodes. Every check that can be made without data
/// happens here (unknown functions, fields and templates, argument counts and types, variable
/// scope, balanced control structures, break/continue outside range), so a template that loads
/// only fails at render time on data (e.g. <c>index</c> out of range).
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<Token> _tokens;
    private readonly string _fileName;
    private readonly Dictionary<string, DefinedTemplate> _templates = new(StringComparer.Ordinal);
    private readonly List<(Token Name, DefinedTemplate Target)> _calls = [];
    private int _index;
    private int _slotCount;
    private int _nesting;
    private int _rangeDepth;
    private VariableScope _scope = new(null);
    private TemplateType _dot = TemplateType.Root;
    private TemplateType _root = TemplateType.Root;

    private TemplateParser(List<Token> tokens, string fileName)
    {
        _tokens = tokens;
        _fileName = fileName;
    }

    public static (TemplateNode[] Nodes, int VariableCount) Parse(string text, string fileName)
    {
        var parser = new TemplateParser(TemplateLexer.Tokenize(text, fileName), fileName);
        var nodes = parser.ParseList(out var stop, out var stopToken);
        if (stop != Stop.EndOfFile)
        {
            throw parser.Error(stopToken, $"unexpected {{{{{stopToken.Value}}}}}");
        }

        // Calls may precede definitions, so whether every called template exists is known only now.
        foreach (var (name, target) in parser._calls)
        {
            if (!target.IsDefined)
            {
                throw parser.Error(name, $"template \"{target.Name}\" not defined");
            }
        }

        return (nodes, parser._slotCount);
    }

    private enum Stop
    {
        EndOfFile,
        End,
        Else,
    }

    private Token Peek => _tokens[_index];

    private Token PeekAt(int offset) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    private Token Next() => _tokens[_index++];

    /// <summary>Parses nodes until {{end}}, {{else}} (left positioned after the keyword) or the end of input.</summary>
    private TemplateNode[] ParseList(out Stop stop, out Token stopToken)
    {
        var nodes = new List<TemplateNode>();
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.EndOfFile:
                    (stop, stopToken) = (Stop.EndOfFile, token);
                    return [.. nodes];
                case TokenKind.Text:
                    nodes.Add(new TextNode(token.Value));
                    continue;
                case TokenKind.LeftDelim:
                    break;
                default:
                    throw Error(token, $"unexpected {Describe(token)}");
            }

            var keyword = Peek;
            if (keyword.Kind == TokenKind.Keyword)
            {
                switch (keyword.Value)
                {
                    case "end":
                        Next();
                        Expect(TokenKind.RightDelim, "in end");
                        (stop, stopToken) = (Stop.End, keyword);
                        return [.. nodes];
                    case "else":
                        Next();
                        (stop, stopToken) = (Stop.Else, keyword);
                        return [.. nodes];
                    case "if":
                        Next();
                        nodes.Add(ParseIf(keyword));
                        continue;
                    case "range":
                        Next();
                        nodes.Add(ParseRange(keyword));
                        continue;
                    case "with":
                        Next();
                        nodes.Add(ParseWith(keyword));
                        continue;
                    case "define":
                        Next();
                        ParseDefine(keyword);
                        continue;
                    case "template":
                        Next();
                        nodes.Add(ParseTemplateCall(keyword));
                        continue;
                    case "block":
                        Next();
                        nodes.Add(ParseBlock(keyword));
                        continue;
                    case "break" or "continue":
                        Next();
                        nodes.Add(ParseLoopControl(keyword));
                        continue;
                }
            }

            nodes.Add(ParseActionPipeline());
        }
    }

    private TemplateNode ParseActionPipeline()
    {
        var start = Peek;
        var (expression, declared) = ParseDeclaredPipeline(start, "command", maxVariables: 1, out _);
        if (declared is { } slot)
        {
            return new AssignmentNode(new BoundPipeline(expression, slot));
        }

        // fmt prints nested struct pointers as addresses, and we do not carry every field of some
        // structs (a service instance's checks): refuse rather than print something else.
        if (expression.Type.HasIncompleteStruct || expression.Type.HasNestedStruct)
        {
            throw Error(start, $"printing a whole {expression.Type} is not supported; print a field such as .Address or .Name");
        }

        return new OutputNode(expression);
    }

    private IfNode ParseIf(Token keyword)
    {
        _nesting++;
        var outer = PushScope();
        var (condition, slot) = ParseDeclaredPipeline(keyword, "if", maxVariables: 1, out _);
        var then = ParseList(out var stop, out var stopToken);
        TemplateNode[] otherwise = [];
        if (stop == Stop.Else)
        {
            if (Peek is { Kind: TokenKind.Keyword, Value: "if" } elseIf)
            {
                // {{else if}} shares the chain's single {{end}}: it is an if inside the else list.
                Next();
                otherwise = [ParseIf(elseIf)];
                stop = Stop.End;
            }
            else
            {
                otherwise = ParseElse(keyword, stopToken);
                stop = Stop.End;
            }
        }

        RequireEnd(keyword, stop, stopToken);
        _scope = outer;
        _nesting--;
        return new IfNode(new BoundPipeline(condition, slot), then, otherwise);
    }

    private WithNode ParseWith(Token keyword)
    {
        _nesting++;
        var outer = PushScope();
        var (value, slot) = ParseDeclaredPipeline(keyword, "with", maxVariables: 1, out _);
        var outerDot = _dot;
        _dot = value.Type;
        var body = ParseList(out var stop, out var stopToken);
        _dot = outerDot;
        TemplateNode[] otherwise = [];
        if (stop == Stop.Else)
        {
            otherwise = ParseElse(keyword, stopToken);
            stop = Stop.End;
        }

        RequireEnd(keyword, stop, stopToken);
        _scope = outer;
        _nesting--;
        return new WithNode(new BoundPipeline(value, slot), body, otherwise);
    }

    private RangeNode ParseRange(Token keyword)
    {
        _nesting++;
        var outer = PushScope();
        var (collection, _) = ParseDeclaredPipeline(keyword, "range", maxVariables: 2, out var variables);
        var (keyType, elementType) = collection.Type.Kind switch
        {
            ValueKind.List => (TemplateType.Int, collection.Type.Element!),
            ValueKind.Map => (TemplateType.String, collection.Type.Element!),
            ValueKind.Root => throw Error(keyword, "range can't iterate over the template's root data (it is nil)"),
            ValueKind.Any or ValueKind.Nil => (TemplateType.Any, TemplateType.Any),
            _ => throw Error(keyword, $"range can't iterate over {collection.Type}"),
        };

        int? keySlot = null;
        int? elementSlot = null;
        if (variables.Count == 1)
        {
            elementSlot = DeclareVariable(variables[0], elementType);
        }
        else if (variables.Count == 2)
        {
            keySlot = DeclareVariable(variables[0], keyType);
            elementSlot = DeclareVariable(variables[1], elementType);
        }

        var outerDot = _dot;
        _dot = elementType;
        _rangeDepth++;
        var body = ParseList(out var stop, out var stopToken);
        _rangeDepth--;
        _dot = outerDot;

        // The loop variables end with the body: in {{else}} there is no element to name.
        _scope = outer;
        TemplateNode[] otherwise = [];
        if (stop == Stop.Else)
        {
            if (Peek is { Kind: TokenKind.Keyword, Value: "if" or "with" } chained)
            {
                throw Error(chained, $"{{{{else {chained.Value}}}}} is only supported after {{{{if}}}}");
            }

            otherwise = ParseElse(keyword, stopToken);
            stop = Stop.End;
        }

        RequireEnd(keyword, stop, stopToken);
        _nesting--;
        return new RangeNode(collection, keySlot, elementSlot, body, otherwise);
    }

    /// <summary><c>{{define "name"}} body {{end}}</c>: only at the top level of the file, as in Go.</summary>
    private void ParseDefine(Token keyword)
    {
        if (_nesting > 0 || _root != TemplateType.Root)
        {
            throw Error(keyword, "{{define}} is only allowed at the top level of a template, outside any other action");
        }

        var name = ParseTemplateName(keyword);
        Expect(TokenKind.RightDelim, "in define clause");
        Define(keyword, name, ParseDefinitionBody(keyword, out var variableCount), variableCount);
    }

    /// <summary><c>{{block "name" pipeline}} default body {{end}}</c>: defines "name" and calls it with the pipeline.</summary>
    private TemplateCallNode ParseBlock(Token keyword)
    {
        var name = ParseTemplateName(keyword);
        var argument = ParsePipeline(keyword, "block clause", TokenKind.RightDelim);
        Next();
        var target = Define(keyword, name, ParseDefinitionBody(keyword, out var variableCount), variableCount);
        return new TemplateCallNode(keyword.Line, keyword.Column, target, argument);
    }

    /// <summary><c>{{template "name" [pipeline]}}</c>; whether "name" exists is checked at the end of the file.</summary>
    private TemplateCallNode ParseTemplateCall(Token keyword)
    {
        var name = ParseTemplateName(keyword);
        Expression? argument = null;
        if (Peek.Kind != TokenKind.RightDelim)
        {
            argument = ParsePipeline(keyword, "template clause", TokenKind.RightDelim);
        }

        Next();
        var target = TemplateNamed(name.Value);
        _calls.Add((name, target));
        return new TemplateCallNode(keyword.Line, keyword.Column, target, argument);
    }

    private LoopControlNode ParseLoopControl(Token keyword)
    {
        if (_rangeDepth == 0)
        {
            throw Error(keyword, $"{{{{{keyword.Value}}}}} outside {{{{range}}}}");
        }

        Expect(TokenKind.RightDelim, $"in {{{{{keyword.Value}}}}}");
        return new LoopControlNode(keyword.Value == "break" ? Flow.Break : Flow.Continue);
    }

    private Token ParseTemplateName(Token keyword)
    {
        var name = Next();
        return name.Kind == TokenKind.String
            ? name
            : throw Error(name, $"{{{{{keyword.Value}}}}} needs a quoted template name, found {Describe(name)}");
    }

    /// <summary>
    /// Parses a definition's body up to its {{end}} in a scope of its own: no outer variables, dot
    /// and <c>$</c> of unknown type (whatever a caller passes), its own variable slots, and no
    /// enclosing range for {{break}}.
    /// </summary>
    private TemplateNode[] ParseDefinitionBody(Token keyword, out int variableCount)
    {
        var saved = (_scope, _slotCount, _dot, _root, _rangeDepth, _nesting);
        (_scope, _slotCount, _dot, _root, _rangeDepth, _nesting) = (new VariableScope(null), 0, TemplateType.Any, TemplateType.Any, 0, 0);
        var body = ParseList(out var stop, out var stopToken);
        variableCount = _slotCount;
        (_scope, _slotCount, _dot, _root, _rangeDepth, _nesting) = saved;
        if (stop == Stop.Else)
        {
            throw Error(stopToken, $"unexpected {{{{else}}}} in {{{{{keyword.Value}}}}}");
        }

        RequireEnd(keyword, stop, stopToken);
        return body;
    }

    /// <summary>Registers a definition; like Go, a second non-empty definition of one name is an error, an empty one yields.</summary>
    private DefinedTemplate Define(Token keyword, Token name, TemplateNode[] body, int variableCount)
    {
        var target = TemplateNamed(name.Value);
        var isEmpty = body.All(node => node is TextNode text && string.IsNullOrWhiteSpace(text.Text));
        if (target.IsDefined && !target.IsEmpty && !isEmpty)
        {
            throw Error(keyword, $"template: multiple definition of template \"{name.Value}\"");
        }

        if (!target.IsDefined || target.IsEmpty)
        {
            (target.Nodes, target.VariableCount, target.IsEmpty, target.IsDefined) = (body, variableCount, isEmpty, true);
        }

        return target;
    }

    private DefinedTemplate TemplateNamed(string name)
    {
        if (!_templates.TryGetValue(name, out var target))
        {
            target = new DefinedTemplate(name);
            _templates[name] = target;
        }

        return target;
    }

    /// <summary>Parses "}} else-list {{end}}" after an else keyword; a second else is an error.</summary>
    private TemplateNode[] ParseElse(Token keyword, Token elseToken)
    {
        if (Peek.Kind != TokenKind.RightDelim)
        {
            throw Error(Peek, $"unexpected {Describe(Peek)} after else (only {{{{else if …}}}} after if)");
        }

        Next();
        var otherwise = ParseList(out var stop, out var stopToken);
        if (stop == Stop.Else)
        {
            throw Error(stopToken, $"expected {{{{end}}}}; found a second {{{{else}}}} for {{{{{keyword.Value}}}}} at {keyword.Line}:{keyword.Column}");
        }

        RequireEnd(keyword, stop, elseToken);
        return otherwise;
    }

    private void RequireEnd(Token keyword, Stop stop, Token stopToken)
    {
        if (stop == Stop.EndOfFile)
        {
            throw Error(keyword, $"{{{{{keyword.Value}}}}} is never closed: missing {{{{end}}}}");
        }
    }

    /// <summary>
    /// "[$a[, $b] :=|=] pipeline }}". Declared variables enter scope after the pipeline is parsed,
    /// so their type is the pipeline's. Returns the slot of a single declared or assigned variable.
    /// </summary>
    private (Expression Expression, int? Slot) ParseDeclaredPipeline(Token owner, string context, int maxVariables, out List<Token> variables)
    {
        variables = [];
        var isAssignment = false;
        if (Peek.Kind == TokenKind.Variable && PeekAt(1).Kind is TokenKind.Declare or TokenKind.Assign or TokenKind.Comma)
        {
            variables.Add(Next());
            if (Peek.Kind == TokenKind.Comma)
            {
                Next();
                if (maxVariables < 2 || Peek.Kind != TokenKind.Variable)
                {
                    throw Error(Peek, context == "range" ? "expected a second variable after ','" : $"too many declarations in {context}");
                }

                variables.Add(Next());
                if (Peek.Kind != TokenKind.Declare)
                {
                    throw Error(Peek, "two variables need := (range $i, $e := …)");
                }
            }

            isAssignment = Next().Kind == TokenKind.Assign;
        }

        var expression = ParsePipeline(owner, context, TokenKind.RightDelim);
        Next();

        if (context == "range" || variables.Count == 0)
        {
            return (expression, null);
        }

        var variable = variables[0];
        if (!isAssignment)
        {
            return (expression, DeclareVariable(variable, expression.Type));
        }

        if (variable.Value == "$" || !_scope.TryFind(variable.Value, out var slot, out var declaredType))
        {
            throw Error(variable, $"undefined variable \"{variable.Value}\" (declare it with :=)");
        }

        if (!declaredType.Accepts(expression.Type))
        {
            throw Error(variable, $"cannot assign {expression.Type} to {variable.Value}, declared as {declaredType}");
        }

        return (expression, slot);
    }

    private int DeclareVariable(Token variable, TemplateType type)
    {
        if (variable.Value == "$")
        {
            throw Error(variable, "cannot declare $, it is the root data");
        }

        var slot = _slotCount++;
        _scope.Declare(variable.Value, slot, type);
        return slot;
    }

    /// <summary>Commands separated by '|' up to <paramref name="terminator"/> (not consumed).</summary>
    private Expression ParsePipeline(Token owner, string context, TokenKind terminator)
    {
        if (Peek.Kind == terminator)
        {
            throw Error(Peek, $"missing value for {context}");
        }

        var first = ParseCommand(stage: 1, pipedType: null);
        var stages = new List<CallExpression>();
        var type = first.Type;
        while (Peek.Kind == TokenKind.Pipe)
        {
            Next();
            var stage = ParseCommand(stages.Count + 2, type);
            stages.Add((CallExpression)stage);
            type = stage.Type;
        }

        if (Peek.Kind != terminator)
        {
            throw Error(Peek, Peek.Kind == TokenKind.EndOfFile
                ? $"unclosed action started by {Describe(owner)}"
                : $"unexpected {Describe(Peek)} in {context}");
        }

        return stages.Count == 0 ? first : new PipelineExpression(first, [.. stages]);
    }

    private Expression ParseCommand(int stage, TemplateType? pipedType)
    {
        var head = Peek;
        if (head.Kind == TokenKind.Identifier)
        {
            Next();
            return ParseCall(head, pipedType);
        }

        if (pipedType is not null)
        {
            throw Error(head, $"{Describe(head)} can't take a piped value: pipeline stage {stage} must be a function call");
        }

        var operand = ParseOperand();
        if (IsOperandStart(Peek))
        {
            throw Error(Peek, $"can't give argument to non-function {Describe(head)}");
        }

        return operand;
    }

    /// <summary>
    /// A call. As an argument, a bare function name is a call without arguments, as in Go:
    /// <c>len services</c> calls services(), and <c>printf "%s" toLower "X"</c> is an error.
    /// </summary>
    private CallExpression ParseCall(Token name, TemplateType? pipedType, bool takeArguments = true)
    {
        if (!TemplateFunctions.TryGet(name.Value, out var function))
        {
            throw Error(name, $"function \"{name.Value}\" not defined (supported: {string.Join(", ", TemplateFunctions.Names)})");
        }

        var arguments = new List<Expression>();
        while (takeArguments && IsOperandStart(Peek))
        {
            arguments.Add(ParseOperand());
        }

        var count = arguments.Count + (pipedType is null ? 0 : 1);
        if (count < function.MinArguments || count > function.MaxArguments)
        {
            var expected = function.MinArguments == function.MaxArguments ? $"{function.MinArguments}"
                : function.MaxArguments == int.MaxValue ? $"at least {function.MinArguments}"
                : $"{function.MinArguments} or {function.MaxArguments}";
            throw Error(name, $"wrong number of arguments for {name.Value}: want {expected}, got {count}");
        }

        var types = arguments.Select(argument => argument.Type).ToList();
        if (pipedType is not null)
        {
            types.Add(pipedType);
        }

        var resultType = function.CheckTypes([.. types], out var error)
            ?? throw Error(name, $"wrong argument for {name.Value}: {error}");

        if (function.ValidateConstants is not null)
        {
            var constants = arguments.Select(argument => argument is ConstantExpression constant ? constant.Value : TemplateFunction.NotConstant);
            if (function.ValidateConstants([.. constants, .. pipedType is null ? Array.Empty<object?>() : [TemplateFunction.NotConstant]]) is { } invalid)
            {
                throw Error(name, invalid);
            }
        }

        return new CallExpression(name.Line, name.Column, resultType, function, [.. arguments]);
    }

    private static bool IsOperandStart(Token token) => token.Kind is TokenKind.Identifier or TokenKind.Field
        or TokenKind.Variable or TokenKind.Dot or TokenKind.String or TokenKind.Number or TokenKind.LeftParen
        || (token.Kind == TokenKind.Keyword && token.Value is "true" or "false" or "nil");

    /// <summary>A term followed by any directly attached fields: <c>.A.B</c>, <c>$x.Port</c>, <c>(…).Name</c>.</summary>
    private Expression ParseOperand()
    {
        var token = Next();
        Expression term = token.Kind switch
        {
            TokenKind.Dot => new DotExpression(token.Line, token.Column, _dot),
            TokenKind.Field => Field(new DotExpression(token.Line, token.Column, _dot), token),
            TokenKind.Variable => Variable(token),
            TokenKind.String => new ConstantExpression(token.Line, token.Column, TemplateType.String, token.Value),
            TokenKind.Number => Number(token),
            TokenKind.Keyword when token.Value == "true" => new ConstantExpression(token.Line, token.Column, TemplateType.Bool, true),
            TokenKind.Keyword when token.Value == "false" => new ConstantExpression(token.Line, token.Column, TemplateType.Bool, false),
            TokenKind.Keyword when token.Value == "nil" => new ConstantExpression(token.Line, token.Column, TemplateType.Nil, null),
            TokenKind.Identifier => ParseCall(token, pipedType: null, takeArguments: false),
            TokenKind.LeftParen => Parenthesised(token),
            _ => throw Error(token, $"unexpected {Describe(token)} in operand"),
        };

        while (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            term = Field(term, Next());
        }

        return term;
    }

    private Expression Parenthesised(Token open)
    {
        var inner = ParsePipeline(open, "parenthesized pipeline", TokenKind.RightParen);
        Next();
        return inner;
    }

    private FieldExpression Field(Expression target, Token field)
    {
        var type = target.Type.FieldType(field.Value, out var error) ?? throw Error(field, error!);
        return new FieldExpression(field.Line, field.Column, type, target, field.Value);
    }

    private Expression Variable(Token token)
    {
        // $ is the running template's data: nil in the main template, the argument in a {{define}}.
        if (token.Value == "$")
        {
            return new RootExpression(token.Line, token.Column, _root);
        }

        return _scope.TryFind(token.Value, out var slot, out var type)
            ? new VariableExpression(token.Line, token.Column, type, slot)
            : throw Error(token, $"undefined variable \"{token.Value}\"");
    }

    private ConstantExpression Number(Token token)
    {
        // Go: a constant written with '.', 'e' or 'E' is a float64, otherwise an int.
        if (token.Value.IndexOfAny(['.', 'e', 'E']) < 0
            && long.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new ConstantExpression(token.Line, token.Column, TemplateType.Int, integer);
        }

        return double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            ? new ConstantExpression(token.Line, token.Column, TemplateType.Float, real)
            : throw Error(token, $"bad number syntax: \"{token.Value}\"");
    }

    private VariableScope PushScope()
    {
        var outer = _scope;
        _scope = new VariableScope(outer);
        return outer;
    }

    private void Expect(TokenKind kind, string context)
    {
        var token = Next();
        if (token.Kind != kind)
        {
            throw Error(token, $"unexpected {Describe(token)} {context}");
        }
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.RightDelim => "\"}}\"",
        TokenKind.LeftDelim => "\"{{\"",
        TokenKind.String => $"string \"{token.Value}\"",
        TokenKind.Field => $"field .{token.Value}",
        TokenKind.Keyword => $"keyword \"{token.Value}\"",
        _ => $"\"{token.Value}\"",
    };

    private TemplateException Error(Token token, string reason) => new(_fileName, token.Line, token.Column, reason);
}
